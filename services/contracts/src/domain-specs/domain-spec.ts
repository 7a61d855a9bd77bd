import type { BandScale } from '../bands';

export interface FieldSpec {
  /** Unit as shown to people (labels are the dashboard's translations, `fields.{name}`). */
  unit: string;
  /** Lowest physically possible value (inclusive). */
  min: number;
  /** Highest physically plausible value (inclusive); anything above is a broken sensor. */
  max: number;
  /** Counts are whole numbers. */
  integer?: boolean;
  /** Decimals worth showing and exporting: what the sensor resolves, not what a mean computes. */
  decimals: number;
}

/**
 * Everything Meetnet knows about one sensor domain, in one place (each domain file declares
 * its spec `as const satisfies DomainSpec<…>`, so field names stay literal types): the schema, the live
 * subscription, the health rules, the API's enums, the map and the simulators all read it.
 * Adding a domain is adding one of these to the registry (and its translations and simulated
 * readings, which the compiler asks for).
 */
export type MarkerShape = 'circle' | 'square' | 'triangle' | 'diamond';

/** One Meetnet quantity as an attribute of a Smart Data Model. */
export interface ModelAttribute {
  name: string;
  /** UN/CEFACT common code of the attribute's unit (GQ µg/m³, 2N dB, CEL °C, …). */
  unitCode?: string;
  /** Multiplied in on the way out: the model's unit differs from ours (% → a fraction of 1). */
  factor?: number;
}

/**
 * How a domain leaves as a FIWARE Smart Data Model over NGSI-LD (docs/open-data.md): the
 * model, its @context, and which of our fields are which of its attributes. A field with no
 * attribute stays out rather than being forced into one that means something else.
 */
export interface SmartDataModel<F extends string> {
  type: string;
  /** The model's subject @context, as the official examples give it. */
  context: string;
  /** The model's JSON Schema `$id`, which the tests validate against. */
  schema: string;
  /** The reading covers a period (`dateObservedFrom`/`To`), not an instant. */
  interval: boolean;
  attributes: Partial<Record<F, ModelAttribute>>;
  /** Attributes the model wants that no one field is, such as traffic's intensity. */
  derived?: (values: Partial<Record<string, number>>) => Record<string, number>;
}

export interface DomainSpec<F extends string = string> {
  /** The InfluxDB measurement and the topic segment. */
  name: string;
  fields: Record<F, FieldSpec>;
  /** Readings are counts or levels over a period the device states (`periodS` required). */
  period: boolean;
  /** Fields a message cannot do without, besides `ts` (and `periodS`). */
  required: readonly F[];
  /** The quantity that varies all day on a working sensor: health rules and injected faults. */
  primaryField: F;
  /** What the sensor panel charts, unless the map's colour choice is one of the domain's fields. */
  chartField: F;
  marker: {
    /** Marker size (radius) in pixels: smaller for the denser layers. */
    radius: number;
    /**
     * Each layer its own shape, so the map reads without colour vision (WCAG 1.4.1) and two
     * layers whose colours resemble each other (traffic purples, the air index's worst) differ.
     */
    shape: MarkerShape;
    /** Colour scales by what they colour (a field, or a derived quantity); several give the map a choice. */
    scales: Record<string, BandScale>;
    defaultScale: string;
    /** The value a scale colours, from a sensor's latest values. */
    value: (
      quantity: string,
      values: Partial<Record<string, number>>,
      periodS: number | undefined,
    ) => number | undefined;
    /** A field worth seeing at a glance in the marker's tooltip. */
    tooltipField?: F;
  };
  smartDataModel: SmartDataModel<F>;
  /** Default health thresholds (HEALTH_* settings cover the fleet-wide ones). */
  health: {
    /** Narrower than the physical ranges the schema enforces: possible, but not here. */
    plausible: Partial<Record<F, [number, number]>>;
    /** A step between two readings of the primary field that no real sensor makes. */
    spikeJump: number;
    /** How far the primary field may wander from its neighbours' median within the window. */
    driftDelta: number;
  };
}

/** Levels in decibels average as energy (10^(L/10)), not as numbers. */
export const isLevelField = (spec: FieldSpec): boolean => spec.unit.startsWith('dB');

/** A field's own latest value: what most scales colour. */
export const fieldValue = (
  quantity: string,
  values: Partial<Record<string, number>>,
  _periodS?: number,
): number | undefined => values[quantity];
