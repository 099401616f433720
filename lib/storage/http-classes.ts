/**
 * The classes storage reads a stored Request and Response back as. Storage sits below the
 * runtime, whose Request and Response (the classes Worker code has, which keep what Node's
 * refuse, such as a statusText past Latin-1 that the runtime stores and reads back) register
 * here as they load; until then (a tool reading storage without the runtime), Node's.
 */
let RequestClass: typeof Request = Request;
let ResponseClass: typeof Response = Response;

export function readRequestsAs(Class: typeof Request): void {
  RequestClass = Class;
}

export function readResponsesAs(Class: typeof Response): void {
  ResponseClass = Class;
}

export function storedRequest(url: string, init: RequestInit): Request {
  return new RequestClass(url, init);
}

export function storedResponse(body: null, init: ResponseInit): Response {
  return new ResponseClass(body, init);
}
