/** Who is calling, from a verified token. Null in the context means anonymous. */
export interface Viewer {
  readonly id: string;
  readonly role: "customer" | "admin";
}
