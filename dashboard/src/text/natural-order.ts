/**
 * Names as people read them: "Teller 2" before "Teller 10", case and accents aside. Sensor
 * names end in numbers more often than not.
 */
const collator = new Intl.Collator(['nl-BE', 'en'], { numeric: true, sensitivity: 'base' });

export const naturalCompare = (a: string, b: string): number => collator.compare(a, b);
