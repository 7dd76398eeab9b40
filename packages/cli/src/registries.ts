/**
 * The registries a CLI run uses: built-in cost plugins and training backends.
 */
import { defaultTrainingBackends } from "@vesicle/backends";
import { createCostRegistry, mechanisms } from "@vesicle/costs";

export const costRegistry = createCostRegistry();
export const backendRegistry = defaultTrainingBackends();

export const mechanismNames = (): string[] => Object.keys(mechanisms);
export const backendNames = (): string[] => backendRegistry.names();
