import type { UnLanguage } from '../directory/directory.types';
import type { CAMPAIGN_KINDS, DELIVERY_STAGES, DELIVERY_STATUSES } from './reminder.models';

export type CampaignKind = (typeof CAMPAIGN_KINDS)[number];
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export type DeliveryStage = (typeof DELIVERY_STAGES)[number];

export interface Campaign {
  id: string;
  name: string;
  kind: CampaignKind;
  months?: number;
  designation?: string;
  state?: string;
  startsAt: Date;
  everyMonths?: number;
  escalateAfterDays?: number;
  nextRunAt?: Date;
  pausedAt?: Date;
  deletedAt?: Date;
  createdBy?: string;
  createdAt: Date;
  updatedBy?: string;
  updatedAt?: Date;
}

export interface Run {
  key: string;
  campaignId: string;
  scheduledFor: Date;
  startedAt: Date;
  escalateAfterDays?: number;
  withoutFocalPoint: string[];
}

export interface Delivery {
  id: string;
  key: string;
  runKey: string;
  campaignId: string;
  state: string;
  email: string;
  name?: string;
  language: UnLanguage;
  userId?: string;
  stage: DeliveryStage;
  status: DeliveryStatus;
  attempts: number;
  claims: number;
  nextAttemptAt: Date;
  leaseUntil?: Date;
  worker?: string;
  lastError?: string;
  messageId?: string;
  sentAt?: Date;
  failedAt?: Date;
  confirmedAt?: Date;
  linkUsedAt?: Date;
  updatedSince?: Date;
  createdAt: Date;
}

/** One recipient of a run, before it is queued. */
export type NewDelivery = Pick<Delivery, 'runKey' | 'campaignId' | 'state' | 'email' | 'name' | 'language' | 'userId' | 'stage'>;
