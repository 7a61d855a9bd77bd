/** Sensor keys a city names in settings, `*` standing for any run of characters within one part. */
export class KeyPatterns {
  private readonly expressions: RegExp[];

  constructor(patterns: readonly string[]) {
    this.expressions = patterns.map(
      (pattern) =>
        new RegExp(
          `^${pattern
            .split('*')
            .map((part) => part.replace(/[.+?^${}()|[\]\\-]/g, '\\$&'))
            .join('[^/]*')}$`,
        ),
    );
  }

  matches(key: string): boolean {
    return this.expressions.some((expression) => expression.test(key));
  }
}
