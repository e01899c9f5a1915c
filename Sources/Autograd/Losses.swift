import Tensors

/// Classification losses on `N × C` scores with integer labels, fused forward and backward.
extension Variable {
    /// Mean softmax cross-entropy:
    /// ```
    /// L = (1/N) Σᵢ [ log Σⱼ e^(sᵢⱼ) − sᵢ,yᵢ ]      ∂L/∂sᵢⱼ = (softmax(sᵢ)ⱼ − [j = yᵢ]) / N
    /// ```
    /// Fused rather than composed from exp/log/sum: subtracting each row's maximum keeps
    /// `e^s` finite for huge scores, and the fused gradient is one subtraction.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func softmaxCrossEntropy(labels: [Int]) throws -> Variable {
        let (n, c) = try Self.checkScores(value, labels, "softmax_cross_entropy")
        var probabilities = value
        var loss: Double = 0
        for i in 0..<n {
            let row = i * c
            var m = probabilities.scalars[row]
            for j in 1..<c { m = Swift.max(m, probabilities.scalars[row + j]) }
            var total: Scalar = 0
            for j in 0..<c {
                let e = Scalar.exp(probabilities.scalars[row + j] - m)
                probabilities.scalars[row + j] = e
                total += e
            }
            for j in 0..<c { probabilities.scalars[row + j] /= total }
            loss += Double(Scalar.log(total) + m - value.scalars[row + labels[i]])
        }
        let p = probabilities
        return Variable(Tensor(Scalar(loss / Double(n))), op: "softmax_cross_entropy", parents: [self]) { g in
            var d = p
            for i in 0..<n { d.scalars[i * c + labels[i]] -= 1 }
            return [d * (g.scalars[0] / Scalar(n))]
        }
    }

    /// Mean multiclass SVM (hinge) loss with margin `Δ`:
    /// ```
    /// L = (1/N) Σᵢ Σ_{j≠yᵢ} max(0, sᵢⱼ − sᵢ,yᵢ + Δ)
    /// ```
    /// Each positive margin adds `1/N` to `∂L/∂sᵢⱼ` and subtracts it from `∂L/∂sᵢ,yᵢ`.
    public func multiclassHinge(labels: [Int], margin: Scalar = 1) throws -> Variable {
        let (n, c) = try Self.checkScores(value, labels, "svm_loss")
        let s = value
        var loss: Scalar = 0
        var active = [Bool](repeating: false, count: n * c)
        for i in 0..<n {
            let correct = s.scalars[i * c + labels[i]]
            for j in 0..<c where j != labels[i] {
                let m = s.scalars[i * c + j] - correct + margin
                if m > 0 { loss += m; active[i * c + j] = true }
            }
        }
        KinkRecorder.note(KinkRecorder.fingerprint(active))
        return Variable(Tensor(loss / Scalar(n)), op: "svm_loss", parents: [self]) { g in
            var d = try Tensor<Scalar>.zeros([n, c])
            let unit = g.scalars[0] / Scalar(n)
            for i in 0..<n {
                for j in 0..<c where active[i * c + j] {
                    d.scalars[i * c + j] += unit
                    d.scalars[i * c + labels[i]] -= unit
                }
            }
            return [d]
        }
    }

    static func checkScores(_ s: Tensor<Scalar>, _ labels: [Int], _ op: String) throws -> (Int, Int) {
        guard s.rank == 2, s.shape[1] > 0 else {
            throw TensorError("\(op): scores must be N × C, got shape \(s.shape)")
        }
        guard labels.count == s.shape[0] else {
            throw TensorError("\(op): \(labels.count) labels for \(s.shape[0]) rows of scores")
        }
        if let bad = labels.firstIndex(where: { $0 < 0 || $0 >= s.shape[1] }) {
            throw TensorError("\(op): label \(labels[bad]) at row \(bad) is not a class in 0..<\(s.shape[1])")
        }
        return (s.shape[0], s.shape[1])
    }
}

/// Fraction of rows whose highest score is at the label.
public func accuracy<Scalar: TensorScalar>(scores: Tensor<Scalar>, labels: [Int]) throws -> Double {
    let predicted = try scores.argmax(axis: 1).scalars.map { Int($0) }
    guard predicted.count == labels.count, !labels.isEmpty else {
        throw TensorError("accuracy: \(labels.count) labels for \(predicted.count) rows")
    }
    return Double(zip(predicted, labels).filter { $0 == $1 }.count) / Double(labels.count)
}
