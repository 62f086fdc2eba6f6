// The globals the extension's classic scripts share in one isolated world (and that its ES
// modules reach through `globalThis` after importing the script that sets them), declared for
// the type check (extension/tests/types/tsconfig.json). Not shipped: the build leaves .d.ts files out.

/** lib/protocol.js: message kinds, port names, storage keys, trusted origin (its one definition). */
declare var RunbookLensProtocol: ReturnType<typeof runbookLensProtocol>;

/** lib/pd-page.js: what the content script uses of it. */
declare var RunbookLensPage: {
  isIncidentUrl(url: string | URL): boolean;
  incidentId(url: string): string | null;
  extractIncidentText(doc: Document, exclude?: Element | null): string;
  alertSignals(text: string): number;
  fingerprint(text: string): string;
  knownLayout(doc: Document, url: string): boolean;
  snapshot(doc: Document, exclude?: Element | null): PageSnapshot;
  encodeSnapshot(snap: PageSnapshot): string;
};

/** content.js: set once it runs, so a second copy of the script (re-injection) stands down. */
declare var __runbookLensContent: boolean | undefined;

/** lib/pack-codec.js: how packs are kept in storage.local (gzip + base64). */
declare var RunbookLensPackCodec: {
  MARKER: string;
  encodePack(raw: Uint8Array): Promise<string>;
  decodePack(stored: string): Promise<Uint8Array>;
  isJsonPack(bytes: Uint8Array): boolean;
  isGzip(head: Uint8Array): boolean;
  readAtMost(body: ReadableStream<Uint8Array>, max: number, tooMuch: (bytes: number) => string): Promise<Uint8Array>;
};
