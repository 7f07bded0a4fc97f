// The per-client request budget in Redis, with rate-limiter-flexible: one fixed window of a minute per
// key, counted by every replica together. While Redis is away each replica counts in its own memory (the
// library's insurance limiter), so limits still hold per replica; the shared count resumes when it is back.
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimit } from '../rate-limiter.ts';

export class RedisRateLimit implements RateLimit {
  private readonly limiter: RateLimiterRedis | undefined;

  constructor(
    readonly limitPerMinute: number,
    options: { client: Redis; prefix: string },
  ) {
    this.limiter =
      limitPerMinute > 0
        ? new RateLimiterRedis({
            storeClient: options.client,
            keyPrefix: `${options.prefix}rate`,
            points: limitPerMinute,
            duration: 60,
            // Straight to the insurance limiter while disconnected, instead of a command that would fail.
            rejectIfRedisNotReady: true,
            insuranceLimiter: new RateLimiterMemory({ points: limitPerMinute, duration: 60 }),
          })
        : undefined;
  }

  async take(key: string): Promise<number> {
    if (!this.limiter) return 0;
    try {
      await this.limiter.consume(key);
      return 0;
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) return Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
      // Neither Redis nor the insurance limiter answered (not expected): let the request through.
      return 0;
    }
  }
}
