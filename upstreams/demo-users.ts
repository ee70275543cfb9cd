// The demo identity provider's users: accounts of the demo accounts service, with their passwords.

export interface DemoUser {
  readonly id: string;
  readonly password: string;
  readonly role: "customer" | "admin";
  readonly name: string;
}

/** u-0001 is a customer and u-0050 (every 50th user) an admin in upstreams/seed.ts. */
export const DEMO_USERS: readonly DemoUser[] = [
  { id: "u-0001", password: "customer-password", role: "customer", name: "Demo Customer" },
  { id: "u-0050", password: "admin-password", role: "admin", name: "Demo Admin" },
];
