import request from 'supertest';
import { testApp } from '../helpers/app';
import { useTestDatabase } from '../helpers/database';

describe('API smoke', () => {
  useTestDatabase();
  it('when listing states, then all are there', async () => {
    const res = await request(testApp()).get('/api/v1/states?q=russia');
    expect(res.status).toBe(200);
    expect(res.body.data[0].code).toBe('RUS');
  });
});
