import { EVIDENCE_FEATURES, type EvidenceFeatures } from './answer-evidence.js';
import shipped from './answerability-model.json' with { type: 'json' };

/**
 * A logistic regression over evidence features: the probability that an extractive answer
 * is right. Features are standardised with the training means and scales.
 */
export interface AnswerabilityModel {
  /** What trained it and on which data (for people reading the file). */
  about: Record<string, unknown>;
  features: string[];
  mean: number[];
  scale: number[];
  weights: number[];
  bias: number;
  /** The refusal threshold chosen by measurement when the model was trained. */
  minConfidence: number;
}

/** The model shipped with Verbatim (trained by `npm run train:answerability`). */
export const SHIPPED_ANSWERABILITY_MODEL = shipped as AnswerabilityModel;

/** The model's probability (0..1) that an answer with this evidence is right. */
export function predictConfidence(model: AnswerabilityModel, features: EvidenceFeatures): number {
  let z = model.bias;
  model.features.forEach((name, i) => {
    const value = features[name as keyof EvidenceFeatures];
    if (value === undefined) throw new Error(`The answerability model needs feature "${name}", which this version does not measure`);
    z += model.weights[i] * ((value - model.mean[i]) / model.scale[i]);
  });
  return 1 / (1 + Math.exp(-z));
}

/** A model that has not been trained: every feature weighs nothing, confidence is 0.5. */
export function untrainedModel(): AnswerabilityModel {
  const n = EVIDENCE_FEATURES.length;
  return {
    about: { untrained: true },
    features: [...EVIDENCE_FEATURES],
    mean: Array(n).fill(0),
    scale: Array(n).fill(1),
    weights: Array(n).fill(0),
    bias: 0,
    minConfidence: 0.5,
  };
}
