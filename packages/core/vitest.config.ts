// The shared test settings of every package.
export { default } from "../../vitest.shared.js";
