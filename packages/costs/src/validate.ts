/**
 * Parameter checks shared by the cost plugins and the quantal model.
 *
 * Every failure is a {@link VesicleError} whose message names the cost, the parameter and the
 * value it got, because the CLI prints the message alone.
 */
import { check } from "@vesicle/core";

/** Formats a number the way a user typed it (NaN and ±Infinity included). */
function show(value: number): string {
  return String(value);
}

/** Throws unless `value` is a finite number ≥ 0; returns it. */
export function requireNonNegative(owner: string, param: string, value: number): number {
  check(typeof value === "number" && Number.isFinite(value) && value >= 0, `${owner}: parameter "${param}" must be a finite number ≥ 0, got ${show(value)}`);
  return value;
}

/** Throws unless `value` is a finite number > 0; returns it. */
export function requirePositive(owner: string, param: string, value: number): number {
  check(typeof value === "number" && Number.isFinite(value) && value > 0, `${owner}: parameter "${param}" must be a finite number > 0, got ${show(value)}`);
  return value;
}

/** Throws unless `value` is a finite, non-zero number; returns it. */
export function requireNonZero(owner: string, param: string, value: number): number {
  check(typeof value === "number" && Number.isFinite(value) && value !== 0, `${owner}: parameter "${param}" must be a finite, non-zero number, got ${show(value)}`);
  return value;
}

/** Throws unless 0 < `value` < 1; returns it. */
export function requireOpenUnit(owner: string, param: string, value: number): number {
  check(typeof value === "number" && value > 0 && value < 1, `${owner}: parameter "${param}" must lie strictly between 0 and 1, got ${show(value)}`);
  return value;
}
