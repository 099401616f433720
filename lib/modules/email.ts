/**
 * The `cloudflare:email` module: `EmailMessage`, what a Worker builds to hand a message to a
 * `send_email` binding (or to reply). Libraries import it at load time (the agents SDK does),
 * so it must be there even though durasim has no email bindings to send through. As in
 * Miniflare (workerd itself has no such module), `from` and `to` are own, enumerable
 * properties holding the arguments as given. The raw message is not kept: nothing here could
 * send it.
 */
export class EmailMessage {
  readonly from: string;
  readonly to: string;

  constructor(from: string, to: string, _raw: ReadableStream | string) {
    this.from = from;
    this.to = to;
  }
}
