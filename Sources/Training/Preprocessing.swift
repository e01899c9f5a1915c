import Tensors

/// Preprocessing fitted on the training split only and then applied unchanged to every split
/// (fitting on validation or test data would leak them into training).
///
/// ```
/// meanImage        x − μ              μ: the mean example, one value per feature
/// perChannelMean   x − μ_c            μ_c: one mean per channel of [N, C, H, W] images
/// standardize      (x − μ) / σ        per feature; σ floored at 1e-8
/// pca(k)           (x − μ) U_k        projection on the top-k eigenvectors of the covariance
/// pcaWhiten(k, ε)  (x − μ) U_k / √(λ_k + ε)
/// zcaWhiten(ε)     (x − μ) U diag(1/√(λ + ε)) Uᵀ   (whitened, but back in pixel space)
/// ```
/// The covariance is `Σ = (x − μ)ᵀ(x − μ) / N`, `Σ = U diag(λ) Uᵀ`.
public struct Preprocessing: Sendable {
    public enum Kind: Sendable, Equatable {
        case meanImage, perChannelMean, standardize
        case pca(components: Int)
        case pcaWhiten(components: Int, epsilon: Double)
        case zcaWhiten(epsilon: Double)
    }

    public let kind: Kind
    /// The subtracted mean: one value per feature, or per channel for `perChannelMean`.
    public private(set) var mean: [Double] = []
    /// Per-feature standard deviation (`standardize`).
    public private(set) var deviation: [Double] = []
    /// Covariance eigenvalues, descending (PCA kinds).
    public private(set) var eigenvalues: [Double] = []
    /// Eigenvectors as columns of a row-major `D × D` matrix (PCA kinds).
    public private(set) var eigenvectors: [Double] = []
    public private(set) var exampleShape: [Int] = []

    /// The largest feature count PCA accepts; the Jacobi eigensolver is `O(D³)`.
    public static let maximumPCAFeatures = 1024

    /// Fits on `train`'s inputs.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public init<Scalar: TensorScalar>(_ kind: Kind, fittedOn train: Dataset<Scalar>) throws {
        self.kind = kind
        let x = train.inputs.scalars.map { Double($0) }
        let n = train.count, d = train.featureCount
        exampleShape = train.exampleShape
        guard n > 0 else { throw DataError.invalid("preprocessing: the training split is empty") }
        switch kind {
        case .perChannelMean:
            guard exampleShape.count == 3 else {
                throw DataError.invalid("per-channel mean needs images [N, C, H, W], got examples of shape \(exampleShape)")
            }
            let c = exampleShape[0], plane = exampleShape[1] * exampleShape[2]
            mean = [Double](repeating: 0, count: c)
            for i in 0..<n { for ch in 0..<c { for k in 0..<plane { mean[ch] += x[(i * c + ch) * plane + k] } } }
            mean = mean.map { $0 / Double(n * plane) }
        default:
            mean = [Double](repeating: 0, count: d)
            for i in 0..<n { for j in 0..<d { mean[j] += x[i * d + j] } }
            mean = mean.map { $0 / Double(n) }
        }
        switch kind {
        case .standardize:
            var v = [Double](repeating: 0, count: d)
            for i in 0..<n { for j in 0..<d { let e = x[i * d + j] - mean[j]; v[j] += e * e } }
            deviation = v.map { max(($0 / Double(n)).squareRoot(), 1e-8) }
        case .pca(let k), .pcaWhiten(let k, _):
            guard k >= 1 && k <= d else { throw DataError.invalid("PCA: components must be in 1...\(d), got \(k)") }
            try fitCovariance(x, n: n, d: d)
        case .zcaWhiten:
            try fitCovariance(x, n: n, d: d)
        default: break
        }
    }

    private mutating func fitCovariance(_ x: [Double], n: Int, d: Int) throws {
        guard d <= Self.maximumPCAFeatures else {
            throw DataError.invalid("PCA on \(d) features needs a \(d)×\(d) eigendecomposition; use at most \(Self.maximumPCAFeatures) (crop or downsample the images first)")
        }
        var cov = [Double](repeating: 0, count: d * d)
        var centered = [Double](repeating: 0, count: d)
        for i in 0..<n {
            for j in 0..<d { centered[j] = x[i * d + j] - mean[j] }
            for a in 0..<d where centered[a] != 0 {
                let ca = centered[a]
                for b in a..<d { cov[a * d + b] += ca * centered[b] }
            }
        }
        for a in 0..<d { for b in a..<d { cov[a * d + b] /= Double(n); cov[b * d + a] = cov[a * d + b] } }
        (eigenvalues, eigenvectors) = symmetricEigen(cov, dimension: d)
    }

    /// The preprocessed inputs. PCA and PCA-whitening change the example shape to `[k]`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func apply<Scalar: TensorScalar>(_ inputs: Tensor<Scalar>) throws -> Tensor<Scalar> {
        guard Array(inputs.shape.dropFirst()) == exampleShape else {
            throw DataError.invalid("preprocessing was fitted on examples of shape \(exampleShape) but got \(Array(inputs.shape.dropFirst()))")
        }
        let n = inputs.shape.first ?? 0, d = exampleShape.reduce(1, *)
        let x = inputs.scalars
        switch kind {
        case .meanImage:
            return try Tensor(shape: inputs.shape, scalars: x.indices.map { x[$0] - Scalar(mean[$0 % d]) })
        case .perChannelMean:
            let plane = exampleShape[1] * exampleShape[2], c = exampleShape[0]
            return try Tensor(shape: inputs.shape, scalars: x.indices.map { x[$0] - Scalar(mean[($0 / plane) % c]) })
        case .standardize:
            return try Tensor(
                shape: inputs.shape,
                scalars: x.indices.map {
                    Scalar((Double(x[$0]) - mean[$0 % d]) / deviation[$0 % d])
                })
        case .pca(let k), .pcaWhiten(let k, _):
            let eps: Double? = if case .pcaWhiten(_, let e) = kind { e } else { nil }
            var out = [Scalar](repeating: 0, count: n * k)
            for i in 0..<n {
                for c in 0..<k {
                    var s = 0.0
                    for j in 0..<d { s += (Double(x[i * d + j]) - mean[j]) * eigenvectors[j * d + c] }
                    if let eps { s /= (eigenvalues[c] + eps).squareRoot() }
                    out[i * k + c] = Scalar(s)
                }
            }
            return try Tensor(shape: [n, k], scalars: out)
        case .zcaWhiten(let eps):
            var out = [Scalar](repeating: 0, count: n * d)
            var rotated = [Double](repeating: 0, count: d)
            for i in 0..<n {
                for c in 0..<d {
                    var s = 0.0
                    for j in 0..<d { s += (Double(x[i * d + j]) - mean[j]) * eigenvectors[j * d + c] }
                    rotated[c] = s / (max(eigenvalues[c], 0) + eps).squareRoot()
                }
                for j in 0..<d {
                    var s = 0.0
                    for c in 0..<d { s += eigenvectors[j * d + c] * rotated[c] }
                    out[i * d + j] = Scalar(s)
                }
            }
            return try Tensor(shape: inputs.shape, scalars: out)
        }
    }

    /// `apply` on a dataset's inputs.
    public func apply<Scalar: TensorScalar>(_ data: Dataset<Scalar>) throws -> Dataset<Scalar> {
        try data.replacingInputs(apply(data.inputs))
    }
}
