/** A fitted logistic regression over standardised features. */
export interface LogisticFit {
  mean: number[];
  scale: number[];
  weights: number[];
  bias: number;
}

export interface FitOptions {
  /** L2 penalty on the (standardised) weights; the bias is not penalised. */
  l2: number;
  /** Weight of each row in the loss (default 1 each). */
  rowWeights?: number[];
}

/**
 * L2-regularised logistic regression fitted by Newton's method (iteratively reweighted least
 * squares) on standardised features. Hand-written (about 50 lines) because the maintained JS
 * packages fit by plain gradient descent without a penalty or row weights; this one is exact,
 * deterministic and converges in a few iterations, so the shipped weights reproduce bit for bit.
 */
export function fitLogistic(rows: number[][], labels: number[], options: FitOptions): LogisticFit {
  const n = rows.length;
  const d = rows[0]?.length ?? 0;
  const weightsOfRows = options.rowWeights ?? rows.map(() => 1);
  const totalWeight = weightsOfRows.reduce((sum, w) => sum + w, 0);
  const mean = Array.from({ length: d }, (_, j) => rows.reduce((sum, row, i) => sum + weightsOfRows[i] * row[j], 0) / totalWeight);
  const scale = Array.from({ length: d }, (_, j) => {
    const variance = rows.reduce((sum, row, i) => sum + weightsOfRows[i] * (row[j] - mean[j]) ** 2, 0) / totalWeight;
    return variance > 1e-12 ? Math.sqrt(variance) : 1;
  });
  const design = rows.map((row) => [1, ...row.map((value, j) => (value - mean[j]) / scale[j])]);
  const beta = new Array<number>(d + 1).fill(0);
  for (let iteration = 0; iteration < 100; iteration++) {
    const gradient = new Array<number>(d + 1).fill(0);
    const hessian = Array.from({ length: d + 1 }, () => new Array<number>(d + 1).fill(0));
    for (let i = 0; i < n; i++) {
      const x = design[i];
      const p = sigmoid(dot(x, beta));
      const w = weightsOfRows[i];
      for (let j = 0; j <= d; j++) {
        gradient[j] += w * (p - labels[i]) * x[j];
        for (let k = 0; k <= j; k++) hessian[j][k] += w * p * (1 - p) * x[j] * x[k];
      }
    }
    for (let j = 0; j <= d; j++) for (let k = 0; k < j; k++) hessian[k][j] = hessian[j][k];
    for (let j = 1; j <= d; j++) {
      gradient[j] += options.l2 * beta[j];
      // A tiny ridge keeps the system solvable when a feature is constant (its column all zero).
      hessian[j][j] += options.l2 + 1e-9;
    }
    const step = solveLinear(hessian, gradient);
    let largest = 0;
    for (let j = 0; j <= d; j++) {
      beta[j] -= step[j];
      largest = Math.max(largest, Math.abs(step[j]));
    }
    if (largest < 1e-10) break;
  }
  return { mean, scale, weights: beta.slice(1), bias: beta[0] };
}

/** The fitted model's probability for one row. */
export function predictLogistic(fit: LogisticFit, row: number[]): number {
  let z = fit.bias;
  for (let j = 0; j < row.length; j++) z += fit.weights[j] * ((row[j] - fit.mean[j]) / fit.scale[j]);
  return sigmoid(z);
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

function dot(a: number[], b: number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

/** Solves A x = b by Gaussian elimination with partial pivoting (A is small and positive definite). */
function solveLinear(matrix: number[][], vector: number[]): number[] {
  const n = vector.length;
  const m = matrix.map((row, i) => [...row, vector[i]]);
  for (let column = 0; column < n; column++) {
    let pivot = column;
    for (let row = column + 1; row < n; row++) if (Math.abs(m[row][column]) > Math.abs(m[pivot][column])) pivot = row;
    [m[column], m[pivot]] = [m[pivot], m[column]];
    for (let row = column + 1; row < n; row++) {
      const factor = m[row][column] / m[column][column];
      for (let k = column; k <= n; k++) m[row][k] -= factor * m[column][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let row = n - 1; row >= 0; row--) {
    let sum = m[row][n];
    for (let k = row + 1; k < n; k++) sum -= m[row][k] * x[k];
    x[row] = sum / m[row][row];
  }
  return x;
}
