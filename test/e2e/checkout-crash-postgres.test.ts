import { crashSuite } from "../support/checkout-crash-suite";
import { freshDatabase } from "../support/postgres";
import { describeWithPostgres } from "../support/stack";

describeWithPostgres(
  "checkout survives a crash at every step boundary (PostgreSQL journal, two replicas recovering at once)",
  () => {
    crashSuite(
      async () => {
        const db = await freshDatabase(process.env.DATABASE_URL as string);
        return { env: { DATABASE_URL: db.url }, cleanup: () => db.drop() };
      },
      2,
      150,
      30,
    );
  },
);
