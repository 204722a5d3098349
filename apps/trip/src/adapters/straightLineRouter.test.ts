import { describe, expect, it } from 'vitest';
import { haversineM } from '../domain/geo.js';
import { StraightLineRouter } from './straightLineRouter.js';

const A = { lat: 10.7725, lng: 106.698 };
const B = { lat: 10.87, lng: 106.8031 };

describe('StraightLineRouter', () => {
  it('takes the straight line times the road factor', async () => {
    const route = await new StraightLineRouter().route(A, B, 'car4');
    expect(route.distanceM).toBe(Math.round(haversineM(A, B) * 1.3));
  });

  it('derives the duration from the vehicle type\'s speed', async () => {
    const router = new StraightLineRouter(1, { bike: 36, car4: 18, car7: 18 });
    const bike = await router.route(A, B, 'bike');
    const car = await router.route(A, B, 'car4');
    expect(bike.durationS).toBe(Math.round(bike.distanceM / 10));
    expect(car.durationS).toBe(Math.round(car.distanceM / 5));
  });
});
