import type { z } from 'zod';

/** What JSON makes of a value of type T: dates arrive as ISO 8601 strings. */
export type Json<T> = T extends Date ? string : T extends readonly (infer U)[] ? Json<U>[] : T extends object ? { [K in keyof T]: Json<T[K]> } : T;

/** The body the web app receives for a server response schema (`import type` the schema). */
export type ResponseOf<S extends z.ZodType> = Json<z.output<S>>;
