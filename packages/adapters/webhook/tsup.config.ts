import { adapterConfig } from "../tsup.adapter.js";

export default adapterConfig();
