import type { mongo } from 'mongoose';

/** A command the driver sent without asking for an acknowledgement (write concern `w: 0`, OP_MSG `moreToCome`). */
export interface UnacknowledgedCommand {
  commandName: string;
  collection?: unknown;
}

/** True when the driver will not wait for the server's answer to this command. */
export function isUnacknowledged(event: Pick<mongo.CommandStartedEvent, 'command'>): boolean {
  const writeConcern = (event.command as { writeConcern?: { w?: unknown } }).writeConcern;
  return writeConcern?.w === 0 || writeConcern?.w === '0';
}

/**
 * Records every unacknowledged command a client sends (the client must be created with
 * `monitorCommands: true`). Such a command makes FerretDB v1 answer anyway, and the driver then
 * hands the stray answer to the next query on the connection.
 */
export function watchUnacknowledgedCommands(client: mongo.MongoClient): UnacknowledgedCommand[] {
  const seen: UnacknowledgedCommand[] = [];
  client.on('commandStarted', (event) => {
    if (isUnacknowledged(event)) seen.push({ commandName: event.commandName, collection: event.command[event.commandName] });
  });
  return seen;
}
