import { JsonFake, type RecordedCall } from './JsonFake.js';

/**
 * What a seed-system fake that keeps its routes to itself shows its tests besides its own model: the URL, the
 * calls it recorded, and close. A subclass mounts its routes on `http` in its constructor and listens in its
 * `start`.
 */
export abstract class SeedFake {
  protected readonly http = new JsonFake();

  /** The base URL, `http://127.0.0.1:<port>`. */
  get url(): string {
    return this.http.url;
  }

  get calls(): readonly RecordedCall[] {
    return this.http.calls;
  }

  /** Calls that matched `METHOD /pattern`. */
  callsTo(route: string): RecordedCall[] {
    return this.http.callsTo(route);
  }

  close(): Promise<void> {
    return this.http.close();
  }
}
