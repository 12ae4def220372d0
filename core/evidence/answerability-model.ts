import { EVIDENCE_FEATURES, type EvidenceFeatures } from './answer-evidence.js';
import { applyPlatt, applyShift, type CorpusCalibration, type PlattMap } from './confidence-calibration.js';
import shipped from './answerability-model.json' with { type: 'json' };

/** One logistic regression over standardised evidence features. */
export interface LogisticWeights {
  mean: number[];
  scale: number[];
  weights: number[];
  bias: number;
}

/** The kind of documents an answer quotes: prose (articles, papers, plain text) or structured (Markdown, HTML). */
export type DocumentGenre = 'prose' | 'structured';

/**
 * Two logistic regressions over the same evidence features: the probability that the
 * extractive answer is right, and the probability that the sources do not answer the question
 * at all; their ratio, the answer odds, ranks answers. A calibration per genre of document maps
 * the odds to the probability that the answer is right (the Answer's `confidence`), fitted on
 * out-of-fold predictions of every training set.
 */
export interface AnswerabilityModel {
  /** What trained it and on which data (for people reading the file). */
  about: Record<string, unknown>;
  features: string[];
  right: LogisticWeights;
  unanswerable: LogisticWeights;
  /** Answer odds to P(right), per genre; without it, the confidence is the first regression's P(right). */
  calibration?: Record<DocumentGenre, PlattMap>;
  /**
   * The refusal threshold on the answer odds, chosen by cross-validation when the model was
   * trained; in confidence units it is each genre's calibration of it (minConfidenceOf).
   */
  minOdds: number;
}

/** What the model makes of one answer's evidence. */
export interface AnswerabilityJudgement {
  /** Calibrated probability (0..1) that the answer is right: the Answer's `confidence`. */
  confidence: number;
  /** P(right) / (P(right) + P(unanswerable)) of the two regressions: what calibration maps to `confidence`. */
  answerOdds: number;
  /** The model's own calibrated confidence, whatever a team's calibration makes of it (what a `shift` calibration is fitted on). */
  modelConfidence: number;
  /** Whether the answer is likely enough right to be shown. */
  answer: boolean;
}

/** The model shipped with Verbatim (trained by `npm run train:answerability`). */
export const SHIPPED_ANSWERABILITY_MODEL = shipped as unknown as AnswerabilityModel;

/** How a judgement is made: a team's own calibration, and a refusal threshold in confidence units. */
export interface JudgementSettings {
  /** CONFIDENCE_CALIBRATION: its map replaces the model's, and its threshold the model's. */
  corpus?: CorpusCalibration;
  /** MIN_CONFIDENCE: answers below it are refused (default: the corpus calibration's, else the model's). */
  minConfidence?: number;
}

/**
 * The model's judgement of an answer with this evidence: the answer odds, the confidence its
 * calibration gives them (or a team's own calibration's), and whether to answer: at or above
 * MIN_CONFIDENCE when one is set, else at the odds threshold the model was trained with (each
 * genre's calibration of it, minConfidenceOf).
 */
export function judgeAnswerability(
  model: AnswerabilityModel,
  features: EvidenceFeatures,
  settings: JudgementSettings = {},
): AnswerabilityJudgement {
  const right = probability(model, model.right, features);
  const unanswerable = probability(model, model.unanswerable, features);
  const answerOdds = right / (right + unanswerable || 1);
  const own = model.calibration?.[genreOf(features)];
  const modelConfidence = own ? applyPlatt(own, answerOdds) : right;
  const corpus = settings.corpus;
  const confidence = corpus?.map
    ? applyPlatt(corpus.map, answerOdds)
    : corpus?.shift !== undefined
      ? applyShift(modelConfidence, corpus.shift)
      : modelConfidence;
  const minConfidence = settings.minConfidence ?? corpus?.minConfidence;
  return {
    confidence,
    answerOdds,
    modelConfidence,
    answer: minConfidence === undefined ? answerOdds >= model.minOdds : confidence >= minConfidence,
  };
}

/** The trained refusal threshold in confidence units, per genre of document. */
export function minConfidenceOf(model: AnswerabilityModel): Record<DocumentGenre, number> {
  const at = (genre: DocumentGenre) => (model.calibration ? applyPlatt(model.calibration[genre], model.minOdds) : model.minOdds);
  return { prose: at('prose'), structured: at('structured') };
}

function genreOf(features: EvidenceFeatures): DocumentGenre {
  return features.structured_document > 0 ? 'structured' : 'prose';
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
  return { about: { untrained: true }, features: [...EVIDENCE_FEATURES], right: flat(), unanswerable: flat(), minOdds: 0.5 };
}
