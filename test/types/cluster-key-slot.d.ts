/** ioredis' own slot function (a dependency of ioredis), for the tests that check hash tags. */
declare module 'cluster-key-slot' {
  export default function calculateSlot(key: string | Buffer): number;
}
