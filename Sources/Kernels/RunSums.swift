/// Sums over contiguous runs of memory for the normalization kernels.
///
/// Each run is cut into blocks of `blockLength` elements; a block is summed in 32 lanes of
/// the element type (so a `Float` block costs one vector add per 16 values), and the blocks'
/// sums are added in `Double`. The error is that of a 128-term `Float` sum per lane, however
/// long the run, and the order depends on the run alone, never on threads.
enum RunSums {
    static let blockLength = 4096

    /// `Σ p[i]` for `i < n`.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func sum<S: KernelScalar>(_ p: UnsafePointer<S>, _ n: Int) -> Double {
        var total = 0.0
        var start = 0
        while start < n {
            let end = min(n, start + blockLength)
            var a = SIMD16<S>(), b = SIMD16<S>()
            var i = start
            while i + 32 <= end {
                a += UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<S>.self)
                b += UnsafeRawPointer(p + i + 16).loadUnaligned(as: SIMD16<S>.self)
                i += 32
            }
            var tail = S(0)
            while i < end {
                tail += p[i]
                i += 1
            }
            total += Double((a + b).sum()) + Double(tail)
            start = end
        }
        return total
    }

    /// `Σ (p[i] − center)²` for `i < n`.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func squaredDeviation<S: KernelScalar>(_ p: UnsafePointer<S>, _ n: Int, from center: S) -> Double {
        var total = 0.0
        var start = 0
        let c = SIMD16<S>(repeating: center)
        while start < n {
            let end = min(n, start + blockLength)
            var a = SIMD16<S>(), b = SIMD16<S>()
            var i = start
            while i + 32 <= end {
                let u = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<S>.self) - c, v = UnsafeRawPointer(p + i + 16).loadUnaligned(as: SIMD16<S>.self) - c
                a += u * u
                b += v * v
                i += 32
            }
            var tail = S(0)
            while i < end {
                let u = p[i] - center
                tail += u * u
                i += 1
            }
            total += Double((a + b).sum()) + Double(tail)
            start = end
        }
        return total
    }

    /// `(Σ dy[i], Σ dy[i]·(x[i] − center))` for `i < n`: the two sums a normalization's
    /// backward pass needs.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func gradientSums<S: KernelScalar>(
        dy: UnsafePointer<S>, x: UnsafePointer<S>, _ n: Int, from center: S
    ) -> (plain: Double, weighted: Double) {
        var plain = 0.0, weighted = 0.0
        var start = 0
        let c = SIMD16<S>(repeating: center)
        while start < n {
            let end = min(n, start + blockLength)
            var s = SIMD16<S>(), w = SIMD16<S>()
            var i = start
            while i + 16 <= end {
                let d = UnsafeRawPointer(dy + i).loadUnaligned(as: SIMD16<S>.self)
                s += d
                w += d * (UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<S>.self) - c)
                i += 16
            }
            var tailS = S(0), tailW = S(0)
            while i < end {
                tailS += dy[i]
                tailW += dy[i] * (x[i] - center)
                i += 1
            }
            plain += Double(s.sum()) + Double(tailS)
            weighted += Double(w.sum()) + Double(tailW)
            start = end
        }
        return (plain, weighted)
    }

    /// Rows summed in the element type before their total is added in `Double`, for sums
    /// down the columns.
    static let rowBlock = 64

    /// Sums down the rows of row-major `rows × width` data, for the columns in `columns`:
    /// ```
    /// plain[j]    += Σ_row a[row, j]
    /// weighted[j] += Σ_row (a[row, j] − c′) · (b[row, j] − c) · s[row]
    /// ```
    /// where `c` is `columnCenter[j]`, else `rowCenter[row]`; `c′` is `c` when `centerBoth`,
    /// else 0; `s` is `rowScale[row]`, else 1. `weighted` is skipped when `b` is nil. Indexes
    /// of `plain` and `weighted` start at `columns.lowerBound`. Blocks of `rowBlock` rows are
    /// summed in 16 lanes of the element type, their totals in `Double`, in row order.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func columnSums<S: KernelScalar>(
        rows: Int, width: Int, columns: Range<Int>, a: UnsafePointer<S>, b: UnsafePointer<S>?,
        columnCenter: UnsafePointer<S>? = nil, rowCenter: UnsafePointer<S>? = nil, rowScale: UnsafePointer<S>? = nil,
        centerBoth: Bool = false, plain: UnsafeMutablePointer<Double>, weighted: UnsafeMutablePointer<Double>
    ) {
        var start = 0
        while start < rows {
            let end = min(rows, start + rowBlock)
            var j = columns.lowerBound
            while j < columns.upperBound {
                let lanes = min(16, columns.upperBound - j)
                var s = SIMD16<S>(), w = SIMD16<S>()
                if lanes == 16 {
                    // One loop per kind of sum, so no option is tested inside the loop.
                    let fixedCenter = columnCenter.map { UnsafeRawPointer($0 + j).loadUnaligned(as: SIMD16<S>.self) } ?? SIMD16<S>()
                    if let b, let rowCenter, let rowScale, !centerBoth {
                        for row in start..<end {
                            let av = UnsafeRawPointer(a + row * width + j).loadUnaligned(as: SIMD16<S>.self)
                            let bv = UnsafeRawPointer(b + row * width + j).loadUnaligned(as: SIMD16<S>.self)
                            s += av
                            w += av * (bv - SIMD16<S>(repeating: rowCenter[row])) * rowScale[row]
                        }
                    } else if let b, rowCenter == nil, rowScale == nil {
                        let c = fixedCenter
                        let cPrime = centerBoth ? c : SIMD16<S>()
                        for row in start..<end {
                            let av = UnsafeRawPointer(a + row * width + j).loadUnaligned(as: SIMD16<S>.self)
                            let bv = UnsafeRawPointer(b + row * width + j).loadUnaligned(as: SIMD16<S>.self)
                            s += av
                            w += (av - cPrime) * (bv - c)
                        }
                    } else if b == nil {
                        for row in start..<end {
                            s += UnsafeRawPointer(a + row * width + j).loadUnaligned(as: SIMD16<S>.self)
                        }
                    } else {
                        for row in start..<end {
                            let av = UnsafeRawPointer(a + row * width + j).loadUnaligned(as: SIMD16<S>.self)
                            s += av
                            guard let b else { continue }
                            let c = rowCenter.map { SIMD16<S>(repeating: $0[row]) } ?? fixedCenter
                            let term = (centerBoth ? av - c : av) * (UnsafeRawPointer(b + row * width + j).loadUnaligned(as: SIMD16<S>.self) - c)
                            w += rowScale.map { term * $0[row] } ?? term
                        }
                    }
                } else {
                    for row in start..<end {
                        for k in 0..<lanes {
                            let av = a[row * width + j + k]
                            s[k] += av
                            guard let b else { continue }
                            let c = columnCenter?[j + k] ?? rowCenter?[row] ?? 0
                            let term = (centerBoth ? av - c : av) * (b[row * width + j + k] - c)
                            w[k] += term * (rowScale?[row] ?? 1)
                        }
                    }
                }
                for k in 0..<lanes {
                    plain[j + k - columns.lowerBound] += Double(s[k])
                    weighted[j + k - columns.lowerBound] += Double(w[k])
                }
                j += lanes
            }
            start = end
        }
    }
}
