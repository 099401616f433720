/**
 * The runtime's words for I/O reached from another I/O context, asserted by the runtime and the
 * storage specs alike: written out here rather than imported from lib/, so that a wrong message
 * in lib/ fails them.
 */
export const OTHER_OBJECT =
  "Cannot perform I/O on behalf of a different Durable Object. I/O objects (such as streams, request/response bodies, and others) " +
  "created in the context of one Durable Object cannot be accessed from a different Durable Object in the same isolate. " +
  "This is a limitation of Cloudflare Workers which allows us to improve overall performance.";
export const OTHER_REQUEST =
  "Cannot perform I/O on behalf of a different request. I/O objects (such as streams, request/response bodies, and others) " +
  "created in the context of one request handler cannot be accessed from a different request's handler. " +
  "This is a limitation of Cloudflare Workers which allows us to improve overall performance.";
