import { describe, expect, it } from 'vitest';
import { EVIDENCE_FEATURES, type EvidenceFeatures } from './answer-evidence.js';
import { judgeAnswerability, SHIPPED_ANSWERABILITY_MODEL } from './answerability-model.js';
import { applyPlatt, logit, parseCalibration } from './confidence-calibration.js';

/** Evidence with every feature at `value`, and the genre given. */
function evidence(value: number, structured = 0): EvidenceFeatures {
  const features = Object.fromEntries(EVIDENCE_FEATURES.map((name) => [name, value])) as EvidenceFeatures;
  return { ...features, structured_document: structured };
}

describe('a team’s calibration (CONFIDENCE_CALIBRATION)', () => {
  const model = SHIPPED_ANSWERABILITY_MODEL;
  const weak = evidence(0.2);
  const strong = { ...evidence(0.9), missing_idf_unit: 0, missing_idf_window: 0, missing_idf_retrieved: 0 };

  it('with a shift, moves the model’s own confidence by it on the logit scale and keeps the order of answers', () => {
    const corpus = parseCalibration({ shift: 2, minConfidence: 0.5 });
    for (const features of [weak, strong]) {
      const judged = judgeAnswerability(model, features, { corpus });
      expect(judged.modelConfidence).toBeCloseTo(judgeAnswerability(model, features).confidence, 10);
      expect(logit(judged.confidence) - logit(judged.modelConfidence)).toBeCloseTo(2, 6);
      expect(judged.answer).toBe(judged.confidence >= 0.5);
    }
    expect(judgeAnswerability(model, strong, { corpus }).confidence).toBeGreaterThan(
      judgeAnswerability(model, weak, { corpus }).confidence,
    );
  });

  it('with a map, maps the answer odds in place of the model’s calibration, for every genre alike', () => {
    const corpus = parseCalibration({ map: { slope: 1.5, intercept: -0.2 }, minConfidence: 0.3 });
    for (const features of [weak, evidence(0.6, 1)]) {
      const judged = judgeAnswerability(model, features, { corpus });
      expect(judged.confidence).toBeCloseTo(applyPlatt({ slope: 1.5, intercept: -0.2 }, judged.answerOdds), 10);
    }
  });

  it('is refused when it holds both a map and a shift, or neither', () => {
    expect(() => parseCalibration({ map: { slope: 1, intercept: 0 }, shift: 1, minConfidence: 0.5 })).toThrow(
      /either map .* or shift, not both/,
    );
    expect(() => parseCalibration({ minConfidence: 0.5 })).toThrow(/either map .* or shift/);
  });
});
