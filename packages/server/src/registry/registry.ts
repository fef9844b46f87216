import type { Api, Client, Connection, Storage } from '../storage/storage.js';
import { BUILT_IN_CLIENT_IDS, builtInClient } from './built-in-clients.js';

interface Entry<T> {
  at: number;
  value: Promise<T>;
}

/**
 * Clients, APIs and connections as the hot paths read them: from memory, re-read from storage once an entry is
 * older than `ttl` ms (default 1 s). A change made by this process is seen at once (`invalidate`);
 * one made elsewhere (the CLI, another idp process) within `ttl`. Unknown ids are not cached, and
 * at most `maxEntries` known ones are. The built-in clients (the account page's and the console's,
 * `builtInClient`) are answered from code and offer every connection.
 */
export class Registry {
  readonly #storage: Storage;
  readonly #clock: () => number;
  readonly #ttl: number;
  readonly #maxEntries: number;
  readonly #clients = new Map<string, Entry<Client | undefined>>();
  readonly #apis = new Map<string, Entry<Api | undefined>>();
  readonly #connections = new Map<string, Entry<Connection | undefined>>();
  readonly #clientConnections = new Map<string, Entry<Connection[] | undefined>>();
  #apiList: Entry<Api[]> | undefined;
  #clientList: Entry<Client[]> | undefined;

  readonly #builtIn: ReadonlyMap<string, Promise<Client>>;

  constructor(storage: Storage, clock: () => number, issuer: string, ttl = 1000, maxEntries = 10_000) {
    this.#builtIn = new Map(
      BUILT_IN_CLIENT_IDS.map((id) => [id, Promise.resolve(builtInClient(issuer, id)!)]),
    );
    this.#storage = storage;
    this.#clock = clock;
    this.#ttl = ttl;
    this.#maxEntries = maxEntries;
  }

  client(clientId: string): Promise<Client | undefined> {
    const builtIn = this.#builtIn.get(clientId);
    if (builtIn) return builtIn;
    return this.#cached(this.#clients, clientId, () => this.#storage.clients.get(clientId));
  }

  api(identifier: string): Promise<Api | undefined> {
    return this.#cached(this.#apis, identifier, () => this.#storage.apis.get(identifier));
  }

  connection(name: string): Promise<Connection | undefined> {
    return this.#cached(this.#connections, name, () => this.#storage.connections.get(name));
  }

  /** The connections `clientId` offers, by name (none for an unknown client). */
  connectionsFor(clientId: string): Promise<Connection[]> {
    // Never undefined: `forClient` and `list` answer lists, empty for an unknown client.
    return this.#cached(this.#clientConnections, clientId, () =>
      this.#builtIn.has(clientId)
        ? this.#storage.connections.list()
        : this.#storage.connections.forClient(clientId),
    ) as Promise<Connection[]>;
  }

  apis(): Promise<Api[]> {
    if (!this.#fresh(this.#apiList)) this.#apiList = { at: this.#clock(), value: this.#storage.apis.list() };
    return this.#apiList.value;
  }

  clients(): Promise<Client[]> {
    if (!this.#fresh(this.#clientList))
      this.#clientList = { at: this.#clock(), value: this.#storage.clients.list() };
    return this.#clientList.value;
  }

  /** Forgets everything, so the next read goes to storage (after a change made here). */
  invalidate(): void {
    this.#clients.clear();
    this.#apis.clear();
    this.#connections.clear();
    this.#clientConnections.clear();
    this.#apiList = undefined;
    this.#clientList = undefined;
  }

  #fresh<T>(entry: Entry<T> | undefined): entry is Entry<T> {
    return entry !== undefined && this.#clock() - entry.at < this.#ttl;
  }

  #cached<T>(map: Map<string, Entry<T | undefined>>, key: string, load: () => Promise<T | undefined>) {
    const entry = map.get(key);
    if (this.#fresh(entry)) return entry.value;
    const value = load();
    const fresh = { at: this.#clock(), value };
    map.set(key, fresh);
    value.then(
      (found) => {
        if (found === undefined && map.get(key) === fresh) map.delete(key);
      },
      () => {
        if (map.get(key) === fresh) map.delete(key);
      },
    );
    if (map.size > this.#maxEntries) map.delete(map.keys().next().value as string);
    return value;
  }
}
