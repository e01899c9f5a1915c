import Foundation

extension Tensor: CustomStringConvertible {
    /// Small tensors print in full, nested like NumPy; large ones as a one-line summary.
    public var description: String {
        count <= 64 ? fullDescription : summary
    }

    /// `f32[64, 3, 32, 32] μ=0.012 σ=0.98`, with NaN/Inf counts when present.
    public var summary: String {
        var finite: [Double] = []
        finite.reserveCapacity(count)
        var nans = 0, infs = 0
        for v in scalars {
            if v.isNaN { nans += 1 } else if v.isInfinite { infs += 1 } else { finite.append(Double(v)) }
        }
        var s = "\(Scalar.typeName)\(shape)"
        if !finite.isEmpty {
            let mean = finite.reduce(0, +) / Double(finite.count)
            let variance = finite.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(finite.count)
            s += " μ=\(Self.format(mean)) σ=\(Self.format(variance.squareRoot()))"
            s += " min=\(Self.format(finite.min()!)) max=\(Self.format(finite.max()!))"
        }
        if nans > 0 { s += " NaN×\(nans)" }
        if infs > 0 { s += " Inf×\(infs)" }
        return s
    }

    /// Every element, nested by axis.
    public var fullDescription: String {
        if rank == 0 { return Self.format(Double(scalars[0])) }
        func render(_ axis: Int, _ offset: Int) -> String {
            let stride = shape[(axis + 1)...].reduce(1, *)
            let parts = (0..<shape[axis]).map { i in
                axis == rank - 1 ? Self.format(Double(scalars[offset + i])) : render(axis + 1, offset + i * stride)
            }
            let separator = axis == rank - 1 ? ", " : ",\n" + String(repeating: " ", count: axis + 1)
            return "[" + parts.joined(separator: separator) + "]"
        }
        return render(0, 0)
    }

    static func format(_ v: Double) -> String {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        if v == v.rounded() && Swift.abs(v) < 1e7 { return String(Int(v)) }
        let a = Swift.abs(v)
        if a >= 1e-3 && a < 1e5 { return String(format: "%.4g", v) }
        return String(format: "%.3e", v)
    }
}
