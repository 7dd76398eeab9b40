/**
 * @packageDocumentation
 * `@vesicle/analysis`: figures of Malkin et al. (eLife 2024) from vesicle sweeps, rendered
 * server-side with Observable Plot (SVG) and resvg (PNG).
 */
export * from "./figures/index.js";
