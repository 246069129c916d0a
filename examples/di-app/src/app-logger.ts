/** Where the application reports failures it cannot answer with a status code (a download that broke mid-stream). */
export interface AppLogger {
  error(message: string): void;
}

/** The DI token of the {@link AppLogger}. */
export const AppLogger: unique symbol = Symbol.for('adapipe-example-di-app/AppLogger');
