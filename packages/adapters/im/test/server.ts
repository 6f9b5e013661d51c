/** The local HTTP receiver the webhook tests use serves the robot tests too. */
export { startReceiver, type Received, type Reply } from "../../webhook/test/server.js";
