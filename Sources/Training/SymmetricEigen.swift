/// Eigenvalues and eigenvectors of a symmetric matrix by cyclic Jacobi rotations.
///
/// Each rotation zeroes one off-diagonal pair `(p, q)`:
/// ```
/// θ = (a_qq − a_pp) / (2 a_pq),  t = sign(θ) / (|θ| + √(θ² + 1)),  c = 1/√(t² + 1),  s = t c
/// ```
/// Sweeps repeat until the off-diagonal mass is negligible. `O(d³)` per sweep, so meant for
/// the small feature counts of PCA lessons (d up to a few hundred).
///
/// - Parameter a: row-major `d × d` symmetric matrix.
/// - Returns: eigenvalues in descending order and the matching eigenvectors as the columns
///   of a row-major `d × d` matrix.
func symmetricEigen(_ a: [Double], dimension d: Int) -> (values: [Double], vectors: [Double]) {
    var m = a
    var v = [Double](repeating: 0, count: d * d)
    for i in 0..<d { v[i * d + i] = 1 }
    for _ in 0..<100 {
        var off = 0.0, total = 0.0
        for i in 0..<d { for j in 0..<d { let x = m[i * d + j] * m[i * d + j]; total += x; if i != j { off += x } } }
        if off <= 1e-22 * max(total, 1e-300) { break }
        for p in 0..<(d - 1) {
            for q in (p + 1)..<d {
                let apq = m[p * d + q]
                if abs(apq) < 1e-300 { continue }
                let theta = (m[q * d + q] - m[p * d + p]) / (2 * apq)
                let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                let c = 1 / (t * t + 1).squareRoot(), s = t * c
                for k in 0..<d {
                    let mkp = m[k * d + p], mkq = m[k * d + q]
                    m[k * d + p] = c * mkp - s * mkq
                    m[k * d + q] = s * mkp + c * mkq
                }
                for k in 0..<d {
                    let mpk = m[p * d + k], mqk = m[q * d + k]
                    m[p * d + k] = c * mpk - s * mqk
                    m[q * d + k] = s * mpk + c * mqk
                }
                for k in 0..<d {
                    let vkp = v[k * d + p], vkq = v[k * d + q]
                    v[k * d + p] = c * vkp - s * vkq
                    v[k * d + q] = s * vkp + c * vkq
                }
            }
        }
    }
    let order = (0..<d).sorted { m[$0 * d + $0] > m[$1 * d + $1] }
    let values = order.map { m[$0 * d + $0] }
    var vectors = [Double](repeating: 0, count: d * d)
    for (newColumn, oldColumn) in order.enumerated() {
        for r in 0..<d { vectors[r * d + newColumn] = v[r * d + oldColumn] }
    }
    return (values, vectors)
}
