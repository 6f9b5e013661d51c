import { adapterConfig } from "../tsup.adapter.js";

export default adapterConfig({ target: "es2022", external: ["@ruleflow/engine", "pg", "@electric-sql/pglite"] });
