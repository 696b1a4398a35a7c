/**
 * The one durable outbox of the candidate's browser (rules 2.8.4, 2.8.5, 14): client
 * events, answers, recording chunks and evidence snapshots are written to local storage first,
 * sent in order per kind, and deleted only after the centre acknowledged them. After a reload
 * the page reopens the same storage and carries on; the centre deduplicates every resend
 * ((session, seq) for events and chunks, the newest rev for answers, incidentId for evidence).
 *
 * The queue logic here is pure over an injectable `OutboxStorage`: `memoryStorage()` for unit
 * tests, `openIndexedDbStorage()` below in the browser.
 */

export const OUTBOX_KINDS = ['event', 'answer', 'chunk', 'evidence'] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];

export interface OutboxItem<P = unknown> {
  /** Insertion order across all kinds; items of one kind are sent by ascending id. */
  id: number;
  kind: OutboxKind;
  payload: P;
  /** Approximate size held (binary payloads), for the backlog figures. */
  bytes: number;
  createdAt: number;
  /** Kept in memory as well as in storage until acknowledged (a recording run's header chunk); stored, so a reload keeps it so. */
  pinned?: boolean;
}

/** Where the items live. Every method resolves only once the change is stored. */
export interface OutboxStorage {
  load(): Promise<OutboxItem[]>;
  /** One item, for kinds whose payload is not kept in memory once stored. */
  get(id: number): Promise<OutboxItem | undefined>;
  put(item: OutboxItem): Promise<void>;
  delete(id: number): Promise<void>;
}

/**
 * What a failed send means: 'retry' (keep it and stop this kind's drain until the next one),
 * 'drop' (the centre will never accept it: remove it and count it), 'stop' (the exam is closed:
 * keep it but stop draining this kind), or a replacement payload to store and send at once
 * (an event renumbered after a conflict).
 */
export type OutboxFailure<P> = 'retry' | 'drop' | 'stop' | { replace: P };

export interface KindCounts {
  items: number;
  bytes: number;
  /** Given up as never acceptable ('invalid' / 'conflict'), since this page loaded. */
  dropped: number;
  /** Acknowledged by the centre since this page loaded. */
  sent: number;
}

export interface OutboxStatus {
  kinds: Record<OutboxKind, KindCounts>;
  items: number;
  bytes: number;
  /** Set when local storage refused a write (quota): those items are only in memory and a reload would lose them. */
  storageError: string | null;
}

export type OutboxListener = (status: OutboxStatus) => void;

interface Held {
  item: OutboxItem;
  /** Resolves once the item is in storage (or storage failed, then it is held in memory only). */
  stored: Promise<void>;
  /** The payload is only in storage (read back just before the send): a recording backlog is bounded by the disk, not memory. */
  offloaded?: boolean;
}

function emptyCounts(): KindCounts {
  return { items: 0, bytes: 0, dropped: 0, sent: 0 };
}

export class DurableOutbox {
  private readonly held: Held[] = [];
  private nextId = 1;
  private readonly draining = new Set<OutboxKind>();
  private readonly listeners = new Set<OutboxListener>();
  private readonly tallies: Record<OutboxKind, { dropped: number; sent: number }> = {
    event: { dropped: 0, sent: 0 },
    answer: { dropped: 0, sent: 0 },
    chunk: { dropped: 0, sent: 0 },
    evidence: { dropped: 0, sent: 0 },
  };
  private storageError: string | null = null;
  private storage: OutboxStorage | null = null;
  private attachDone!: () => void;
  /** Resolves once storage is attached (items added before that are written then). */
  private readonly attached = new Promise<void>((resolve) => (this.attachDone = resolve));

  /**
   * An outbox that queues at once; nothing is sent before `attach` gave it storage (the page
   * learns which session it is in, and so which database to open, only after it loaded).
   */
  constructor(
    private readonly now: () => number = () => Date.now(),
    /** Kinds whose payload leaves memory once it is stored (large binary items: recording chunks). */
    private readonly offload: ReadonlySet<OutboxKind> = new Set(),
  ) {}

  /** Once `h` is stored, its payload can leave memory (kinds in `offload`). */
  private offloadIfStored(h: Held): void {
    if (!this.offload.has(h.item.kind) || h.offloaded || h.item.pinned) return;
    h.item = { ...h.item, payload: null };
    h.offloaded = true;
  }

  /** Opens an outbox over `storage`, taking back whatever an earlier page left there. */
  static async open(storage: OutboxStorage, now: () => number = () => Date.now()): Promise<DurableOutbox> {
    const box = new DurableOutbox(now);
    await box.attach(storage);
    return box;
  }

  /**
   * Gives the outbox its storage: items an earlier page left come first (they are older), then
   * the ones queued since this page loaded, renumbered after them and written.
   */
  async attach(storage: OutboxStorage): Promise<void> {
    if (this.storage) throw new Error('the outbox already has its storage');
    const earlier = (await storage.load()).sort((a, b) => a.id - b.id);
    // Two pages of one exam (the link opened twice; the older page is replaced but still finishing its last
    // recording chunk) share this storage. Ids that start from the time this page attached (µs) never collide with the
    // other page's, which count up one by one from their own earlier start: neither page overwrites or deletes the other's items.
    let id = Math.max(earlier[earlier.length - 1]?.id ?? 0, Math.floor(this.now() * 1000));
    const fresh = this.held.splice(0);
    for (const item of earlier) {
      const h: Held = { item, stored: Promise.resolve() };
      this.offloadIfStored(h);
      this.held.push(h);
    }
    for (const h of fresh) {
      h.item.id = ++id;
      this.held.push(h);
    }
    this.nextId = id + 1;
    this.storage = storage;
    await Promise.all(
      fresh.map((h) =>
        storage.put(h.item).then(
          () => this.offloadIfStored(h),
          (err: unknown) => this.storageFailed(err),
        ),
      ),
    );
    this.attachDone();
    this.changed();
  }

  get isAttached(): boolean {
    return this.storage !== null;
  }

  /** Items of one kind still waiting, oldest first (a copy). */
  pending<P>(kind: OutboxKind): Array<OutboxItem<P>> {
    return this.held.filter((h) => h.item.kind === kind).map((h) => h.item as OutboxItem<P>);
  }

  /**
   * Queues an item: in memory at once (so order is the order of calls), in storage before it is
   * ever sent. `stored` resolves once it is in storage.
   */
  add<P>(kind: OutboxKind, payload: P, bytes = 0, options: { pinned?: boolean } = {}): OutboxItem<P> & { stored: Promise<void> } {
    const item: OutboxItem<P> = {
      id: this.nextId++,
      kind,
      payload,
      bytes,
      createdAt: this.now(),
      ...(options.pinned ? { pinned: true } : {}),
    };
    const storage = this.storage;
    const h: Held = { item, stored: Promise.resolve() };
    h.stored = storage
      ? storage.put(item).then(
          () => this.offloadIfStored(h),
          (err: unknown) => this.storageFailed(err),
        )
      : this.attached;
    const stored = h.stored;
    this.held.push(h);
    this.changed();
    return { ...item, stored };
  }

  private storageFailed(err: unknown): void {
    const name = (err as { name?: string })?.name ?? '';
    this.storageError = name === 'QuotaExceededError' ? 'quota' : String((err as Error)?.message ?? err).slice(0, 200);
    this.changed();
  }

  /** Stores a changed payload of a waiting item (e.g. the seq given to an event just before its first send). */
  async update<P>(item: OutboxItem<P>, payload: P): Promise<void> {
    const h = this.held.find((x) => x.item.id === item.id);
    if (!h) return;
    await h.stored;
    const full = { ...h.item, payload };
    h.item = full;
    h.offloaded = false;
    try {
      await this.storage?.put(full);
      if (h.item === full) this.offloadIfStored(h);
    } catch (err) {
      this.storageFailed(err);
    }
  }

  private async remove(id: number): Promise<void> {
    const i = this.held.findIndex((h) => h.item.id === id);
    if (i < 0) return;
    this.held.splice(i, 1);
    this.changed();
    await this.storage?.delete(id).catch((err: unknown) => this.storageFailed(err));
  }

  /**
   * Sends the waiting items of one kind, oldest first, one at a time; removes each once `send`
   * resolved (the centre's ack). `prepare` may change an item just before it is sent (numbering);
   * the changed payload is stored before the send. A second call while one runs does nothing.
   * Returns true when the kind is empty afterwards.
   */
  async drain<P>(
    kind: OutboxKind,
    send: (payload: P) => Promise<unknown>,
    onFailure: (err: unknown, payload: P) => OutboxFailure<P>,
    prepare?: (payload: P) => P | null,
  ): Promise<boolean> {
    if (this.draining.has(kind)) return false;
    this.draining.add(kind);
    try {
      for (;;) {
        const head = this.held.find((h) => h.item.kind === kind);
        if (!head) return true;
        await head.stored;
        let payload = head.item.payload as P;
        if (head.offloaded) {
          let stored: OutboxItem | undefined;
          try {
            stored = await this.storage?.get(head.item.id);
          } catch (err) {
            // A read that failed (a busy or full disk) is not a loss: the item stays and is read again on the next drain.
            this.storageFailed(err);
            return false;
          }
          if (!stored) {
            // Gone from storage (cleared by the user or the browser): nothing left to send.
            this.tallies[kind].dropped++;
            await this.remove(head.item.id);
            continue;
          }
          payload = stored.payload as P;
        }
        if (prepare) {
          const prepared = prepare(payload);
          if (prepared === null) return false; // not ready to send yet
          if (prepared !== payload) {
            await this.update(head.item, prepared);
            payload = prepared;
          }
        }
        try {
          await send(payload);
          this.tallies[kind].sent++;
        } catch (err) {
          const action = onFailure(err, payload);
          if (action === 'retry' || action === 'stop') return false;
          if (action !== 'drop') {
            await this.update(head.item, action.replace);
            continue;
          }
          this.tallies[kind].dropped++;
        }
        await this.remove(head.item.id);
      }
    } finally {
      this.draining.delete(kind);
    }
  }

  /** A drain of this kind is running (a second `drain` call would return at once). */
  isDraining(kind: OutboxKind): boolean {
    return this.draining.has(kind);
  }

  status(): OutboxStatus {
    const kinds = { event: emptyCounts(), answer: emptyCounts(), chunk: emptyCounts(), evidence: emptyCounts() };
    for (const kind of OUTBOX_KINDS) Object.assign(kinds[kind], this.tallies[kind]);
    let bytes = 0;
    for (const { item } of this.held) {
      kinds[item.kind].items++;
      kinds[item.kind].bytes += item.bytes;
      bytes += item.bytes;
    }
    return { kinds, items: this.held.length, bytes, storageError: this.storageError };
  }

  subscribe(listener: OutboxListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    if (this.listeners.size === 0) return;
    const s = this.status();
    for (const l of this.listeners) l(s);
  }
}

/** Storage in memory: for tests, and the fallback when the browser gives no IndexedDB (then a reload loses the queue). */
export function memoryStorage(initial: OutboxItem[] = []): OutboxStorage & { items: Map<number, OutboxItem> } {
  const items = new Map(initial.map((i) => [i.id, structuredClone(i)]));
  return {
    items,
    load: async () => [...items.values()].map((i) => structuredClone(i)),
    get: async (id) => (items.has(id) ? structuredClone(items.get(id)) : undefined),
    put: async (item) => void items.set(item.id, structuredClone(item)),
    delete: async (id) => void items.delete(id),
  };
}

/** Delay before the n-th retry in a row (n from 1): 1 s doubling to 30 s. */
export function retryDelayMs(attempt: number): number {
  return Math.min(30_000, 1_000 * 2 ** Math.max(0, Math.min(attempt - 1, 5)));
}

const IDB_STORE = 'items';

function idbRequest<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

/** Resolves when the transaction is committed (durability 'strict': on disk, not only in the OS cache). */
function idbWrite(db: IDBDatabase, work: (store: IDBObjectStore) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(IDB_STORE, 'readwrite', { durability: 'strict' });
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB write failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB write aborted'));
    work(tx.objectStore(IDB_STORE));
  });
}

/**
 * The browser's storage: one IndexedDB database per exam session (`name`, derived from the
 * session), items keyed by id. Binary payloads (Uint8Array) are stored as they are.
 */
export async function openIndexedDbStorage(name: string): Promise<OutboxStorage & { close(): void }> {
  const open = indexedDB.open(name, 1);
  open.onupgradeneeded = () => {
    if (!open.result.objectStoreNames.contains(IDB_STORE)) open.result.createObjectStore(IDB_STORE, { keyPath: 'id' });
  };
  const db = await idbRequest(open);
  return {
    load: () => idbRequest(db.transaction(IDB_STORE, 'readonly').objectStore(IDB_STORE).getAll() as IDBRequest<OutboxItem[]>),
    get: (id) => idbRequest(db.transaction(IDB_STORE, 'readonly').objectStore(IDB_STORE).get(id) as IDBRequest<OutboxItem | undefined>),
    put: (item) => idbWrite(db, (s) => s.put(item)),
    delete: (id) => idbWrite(db, (s) => s.delete(id)),
    close: () => db.close(),
  };
}

/** How much this origin may keep locally, and how much it uses (navigator.storage.estimate()); null where unknown. */
export async function storageEstimate(): Promise<{ quota: number; usage: number } | null> {
  try {
    const e = await navigator.storage?.estimate?.();
    return e && typeof e.quota === 'number' ? { quota: e.quota, usage: e.usage ?? 0 } : null;
  } catch {
    return null;
  }
}
