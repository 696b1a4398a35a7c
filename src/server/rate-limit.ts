/**
 * Abuse limits: token buckets per exam session and command family, the socket
 * middleware that applies them to every candidate command in one place, and a small gate
 * that bounds how many password checks (scrypt) run at once.
 *
 * A command over its limit is answered at once with 'too_many' and a retry hint; nothing is
 * stored and no handler runs, so a flood costs the centre one bucket check per message and
 * the event loop stays free for everybody else.
 */

export interface BucketRate {
  /** Tokens added per second (the sustained rate). */
  perSecond: number;
  /** Bucket size: how many may come at once after a quiet spell. */
  burst: number;
}

/** A classic token bucket; time is passed in so it is pure and testable. */
export class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly rate: BucketRate,
    now: number,
  ) {
    this.tokens = rate.burst;
    this.at = now;
  }

  private refill(now: number): void {
    if (now > this.at) this.tokens = Math.min(this.rate.burst, this.tokens + ((now - this.at) / 1000) * this.rate.perSecond);
    this.at = Math.max(this.at, now);
  }

  /** Takes one token: 0 when allowed, otherwise the milliseconds until one is available. */
  take(now: number): number {
    this.refill(now);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil(((1 - this.tokens) / this.rate.perSecond) * 1000));
  }

  /** Full again: the bucket can be forgotten (a new one starts full). */
  isFull(now: number): boolean {
    this.refill(now);
    return this.tokens >= this.rate.burst;
  }
}

/** Buckets by key (e.g. "session|family"), forgotten once full so the map stays small. */
export class KeyedBuckets {
  private readonly buckets = new Map<string, TokenBucket>();
  private takes = 0;

  constructor(private readonly rate: (key: string) => BucketRate) {}

  take(key: string, now: number): number {
    if (++this.takes % 1000 === 0) this.prune(now);
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(this.rate(key), now);
      this.buckets.set(key, bucket);
    }
    return bucket.take(now);
  }

  prune(now: number): void {
    for (const [key, bucket] of this.buckets) if (bucket.isFull(now)) this.buckets.delete(key);
  }

  get size(): number {
    return this.buckets.size;
  }
}

/** Candidate command families, each with its own bucket per session. */
export type CommandFamily = 'events' | 'answers' | 'chunks' | 'evidence' | 'identity' | 'other';

export type CandidateRateLimits = Record<CommandFamily, BucketRate>;

/**
 * Defaults sized to the real client with room to spare: the browser sends one event at a time and
 * waits for its ack, so a backlog after an outage drains at the sustained rate; recording chunks
 * come every few seconds; the bandwidth probe and the identity photos are a handful per exam.
 */
export const DEFAULT_CANDIDATE_RATE_LIMITS: CandidateRateLimits = {
  events: { perSecond: 20, burst: 60 },
  answers: { perSecond: 10, burst: 40 },
  chunks: { perSecond: 5, burst: 30 },
  evidence: { perSecond: 2, burst: 10 },
  identity: { perSecond: 1, burst: 10 },
  other: { perSecond: 10, burst: 40 },
};

const FAMILIES: Record<string, CommandFamily> = {
  'event:log': 'events',
  'answer:save': 'answers',
  'exam:navigate': 'answers',
  'recording:chunk': 'chunks',
  'evidence:upload': 'evidence',
  'identity:verify': 'identity',
  'identity:check': 'identity',
};

export function commandFamily(event: string): CommandFamily | null {
  // Thumbnails have their own frame-rate gate (LiveWatch.acceptFrame) and are volatile: not counted here.
  if (event === 'thumb:frame') return null;
  return FAMILIES[event] ?? 'other';
}

/** The answer to a command refused for its rate; `retryAfterMs` tells the browser when to send again. */
export function tooMany(retryAfterMs: number) {
  return { error: { code: 'too_many' as const, message: `too many requests: try again in ${retryAfterMs} ms`, retryAfterMs } };
}

/**
 * A socket.io per-socket middleware (`socket.use`) for the candidate namespace: counts each command
 * against its session's bucket (a reconnect does not refill it) and answers the ones over the limit.
 */
export function candidateRateLimit(buckets: KeyedBuckets, sessionId: string, now: () => number) {
  return (packet: unknown[], next: (err?: Error) => void): void => {
    const event = typeof packet[0] === 'string' ? packet[0] : '';
    const family = commandFamily(event);
    const wait = family === null ? 0 : buckets.take(`${sessionId}|${family}`, now());
    if (wait === 0) return next();
    const ack = packet[packet.length - 1];
    if (typeof ack === 'function') (ack as (r: unknown) => void)(tooMany(wait));
  };
}

export function candidateBuckets(limits: CandidateRateLimits): KeyedBuckets {
  return new KeyedBuckets((key) => limits[key.slice(key.lastIndexOf('|') + 1) as CommandFamily] ?? limits.other);
}

/**
 * At most `concurrency` tasks at once, at most `queueCap` waiting; beyond that `run` refuses at
 * once (null) instead of queueing without bound. Used for scrypt: it runs on libuv's small thread
 * pool, which also does the file I/O of recording chunks, so unbounded password checks starve it.
 */
export class ConcurrencyGate {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly concurrency: number,
    private readonly queueCap: number,
  ) {}

  async run<T>(task: () => Promise<T>): Promise<{ value: T } | null> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.queueCap) return null;
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return { value: await task() };
    } finally {
      // Hand the slot straight to the next waiter (running stays the same) or free it.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  get busy(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }
}
