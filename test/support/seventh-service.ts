/** The seventh upstream the services tests add to services.json. */
export const SEVENTH = { name: "loyalty", port: 4007 };
