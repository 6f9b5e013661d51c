/** The studio's entry: defines `<rf-studio>` (index.html places it). */
import "./studio.js";
