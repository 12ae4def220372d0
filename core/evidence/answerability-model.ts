import { EVIDENCE_FEATURES, type EvidenceFeatures } from './answer-evidence.js';
import shipped from './answerability-model.json' with { type: 'json' };

/** One logistic regression over standardised evidence features. */
export interface LogisticWeights {
  mean: number[];
  scale: number[];
  weights: number[];
  bias: number;
}

/**
 * Two logistic regressions over the same evidence features: the probability that the
 * extractive answer is right, and the probability that the sources do not answer the question
 * at all. Answering is worth it when the first outweighs the second; how likely each is
 * depends on the kind of documents and questions, which is why one threshold on the first
 * alone could not serve prose and package docs alike.
 */
export interface AnswerabilityModel {
  /** What trained it and on which data (for people reading the file). */
  about: Record<string, unknown>;
  features: string[];
  right: LogisticWeights;
  unanswerable: LogisticWeights;
  /** The default MIN_CONFIDENCE, chosen by cross-validation when the model was trained. */
  minConfidence: number;
}

/** What the model makes of one answer's evidence. */
export interface AnswerabilityJudgement {
  /** Calibrated probability (0..1) that the answer is right: the Answer's `confidence`. */
  confidence: number;
  /** P(right) / (P(right) + P(unanswerable)): the answer is refused below MIN_CONFIDENCE. */
  answerOdds: number;
}

/** The model shipped with Verbatim (trained by `npm run train:answerability`). */
export const SHIPPED_ANSWERABILITY_MODEL = shipped as unknown as AnswerabilityModel;

/** The model's judgement of an answer with this evidence. */
export function judgeAnswerability(model: AnswerabilityModel, features: EvidenceFeatures): AnswerabilityJudgement {
  const confidence = probability(model, model.right, features);
  const unanswerable = probability(model, model.unanswerable, features);
  return { confidence, answerOdds: confidence / (confidence + unanswerable || 1) };
}

function probability(model: AnswerabilityModel, fit: LogisticWeights, features: EvidenceFeatures): number {
  let z = fit.bias;
  model.features.forEach((name, i) => {
    const value = features[name as keyof EvidenceFeatures];
    if (value === undefined) throw new Error(`The answerability model needs feature "${name}", which this version does not measure`);
    z += fit.weights[i] * ((value - fit.mean[i]) / fit.scale[i]);
  });
  return 1 / (1 + Math.exp(-z));
}

/** A model that has not been trained: every feature weighs nothing, both probabilities are 0.5. */
export function untrainedModel(): AnswerabilityModel {
  const n = EVIDENCE_FEATURES.length;
  const flat = (): LogisticWeights => ({ mean: Array(n).fill(0), scale: Array(n).fill(1), weights: Array(n).fill(0), bias: 0 });
  return { about: { untrained: true }, features: [...EVIDENCE_FEATURES], right: flat(), unanswerable: flat(), minConfidence: 0.5 };
}
