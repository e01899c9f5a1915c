/// The streaming loops of the normalization kernels: sums over runs and columns, and the
/// per-element affine maps that write outputs and input gradients.
///
/// The bodies are `@inlinable` so that each instruction-set module compiles them with its own
/// `-target-cpu` (see `NormalizationLoops.compiledHere()`). Every loop works in `SIMD16`
/// whatever the processor, so the order of every sum, and so every result, is the same on
/// AVX-512, AVX2 and baseline processors (products and sums are never fused).
///
/// A run is cut into blocks of `blockLength` elements; a block is summed in 16 or 32 lanes
/// of the element type, and the blocks' sums are added in `Double`. The error is that of a
/// sum of a few hundred terms per lane, however long the run, and the order depends on the
/// run alone, never on threads.
public enum RunSums {
    public static let blockLength = 4096
    /// Rows summed in the element type before their total is added in `Double`, for sums
    /// down the columns.
    public static let rowBlock = 64

    @inlinable @inline(__always)
    static func load<S: SIMDScalar>(_ p: UnsafePointer<S>) -> SIMD16<S> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD16<S>.self)
    }

    @inlinable @inline(__always)
    static func store<S: SIMDScalar>(_ v: SIMD16<S>, _ p: UnsafeMutablePointer<S>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<S>.self)
    }

    /// `Σ p[i]` for `i < n`.
    @inlinable
    public static func sum<S: BinaryFloatingPoint & SIMDScalar>(_ p: UnsafePointer<S>, _ n: Int) -> Double {
        var total = 0.0
        var start = 0
        while start < n {
            let end = min(n, start + blockLength)
            var a = SIMD16<S>(), b = SIMD16<S>()
            var i = start
            while i + 32 <= end {
                a += load(p + i)
                b += load(p + i + 16)
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
    @inlinable
    public static func squaredDeviation<S: BinaryFloatingPoint & SIMDScalar>(
        _ p: UnsafePointer<S>, _ n: Int, from center: S
    ) -> Double {
        var total = 0.0
        var start = 0
        let c = SIMD16<S>(repeating: center)
        while start < n {
            let end = min(n, start + blockLength)
            var a = SIMD16<S>(), b = SIMD16<S>()
            var i = start
            while i + 32 <= end {
                let u = load(p + i) - c, v = load(p + i + 16) - c
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

    /// `(Σ g[i]·s[i], Σ g[i]·s[i]·(x[i] − center))` for `i < n`, with `s` all ones when nil:
    /// the two sums a normalization's backward pass needs (`g = dy`, and `s = γ` for layer norm).
    @inlinable
    public static func gradientSums<S: BinaryFloatingPoint & SIMDScalar>(
        dy g: UnsafePointer<S>, scale s: UnsafePointer<S>?, x: UnsafePointer<S>, _ n: Int, from center: S
    ) -> (plain: Double, weighted: Double) {
        var plain = 0.0, weighted = 0.0
        var start = 0
        let c = SIMD16<S>(repeating: center)
        while start < n {
            let end = min(n, start + blockLength)
            var p0 = SIMD16<S>(), w0 = SIMD16<S>(), p1 = SIMD16<S>(), w1 = SIMD16<S>()
            var i = start
            if let s {
                while i + 32 <= end {
                    let d0 = load(g + i) * load(s + i), d1 = load(g + i + 16) * load(s + i + 16)
                    p0 += d0
                    p1 += d1
                    w0 += d0 * (load(x + i) - c)
                    w1 += d1 * (load(x + i + 16) - c)
                    i += 32
                }
            } else {
                while i + 32 <= end {
                    let d0 = load(g + i), d1 = load(g + i + 16)
                    p0 += d0
                    p1 += d1
                    w0 += d0 * (load(x + i) - c)
                    w1 += d1 * (load(x + i + 16) - c)
                    i += 32
                }
            }
            var tailP = S(0), tailW = S(0)
            while i < end {
                let d = g[i] * (s?[i] ?? 1)
                tailP += d
                tailW += d * (x[i] - center)
                i += 1
            }
            plain += Double((p0 + p1).sum()) + Double(tailP)
            weighted += Double((w0 + w1).sum()) + Double(tailW)
            start = end
        }
        return (plain, weighted)
    }

    /// Sums down the rows of row-major `rows × width` data, for the columns in `columns`:
    /// ```
    /// plain[j]    += Σ_row a[row, j]
    /// weighted[j] += Σ_row (a[row, j] − c′) · (b[row, j] − c) · s[row]
    /// ```
    /// where `c` is `columnCenter[j]`, else `rowCenter[row]`; `c′` is `c` when `centerBoth`,
    /// else 0; `s` is `rowScale[row]`, else 1. `weighted` is skipped when `b` is nil. Indexes
    /// of `plain` and `weighted` start at `columns.lowerBound`. Blocks of `rowBlock` rows are
    /// summed in 16 lanes of the element type, their totals in `Double`, in row order.
    @inlinable
    public static func columnSums<S: BinaryFloatingPoint & SIMDScalar>(
        rows: Int, width: Int, columns: Range<Int>, a: UnsafePointer<S>, b: UnsafePointer<S>?,
        columnCenter: UnsafePointer<S>?, rowCenter: UnsafePointer<S>?, rowScale: UnsafePointer<S>?,
        centerBoth: Bool, plain: UnsafeMutablePointer<Double>, weighted: UnsafeMutablePointer<Double>
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
                    let fixedCenter = columnCenter.map { load($0 + j) } ?? SIMD16<S>()
                    if let b, let rowCenter, let rowScale, !centerBoth {
                        for row in start..<end {
                            let av = load(a + row * width + j), bv = load(b + row * width + j)
                            s += av
                            w += av * (bv - SIMD16<S>(repeating: rowCenter[row])) * rowScale[row]
                        }
                    } else if let b, rowCenter == nil, rowScale == nil {
                        let c = fixedCenter
                        let cPrime = centerBoth ? c : SIMD16<S>()
                        for row in start..<end {
                            let av = load(a + row * width + j), bv = load(b + row * width + j)
                            s += av
                            w += (av - cPrime) * (bv - c)
                        }
                    } else if b == nil {
                        for row in start..<end { s += load(a + row * width + j) }
                    } else {
                        for row in start..<end {
                            let av = load(a + row * width + j)
                            s += av
                            guard let b else { continue }
                            let c = rowCenter.map { SIMD16<S>(repeating: $0[row]) } ?? fixedCenter
                            let term = (centerBoth ? av - c : av) * (load(b + row * width + j) - c)
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

    /// `out[i] = first[i] · a + (second[i] − center) · k + b` for `i < n`, with `first`'s term
    /// left out when `first` is nil (the forward pass).
    @inlinable
    public static func affine<S: BinaryFloatingPoint & SIMDScalar>(
        first: UnsafePointer<S>?, second: UnsafePointer<S>, _ n: Int, a: S, center: S, k: S, b: S,
        out: UnsafeMutablePointer<S>
    ) {
        let av = SIMD16<S>(repeating: a), cv = SIMD16<S>(repeating: center)
        let kv = SIMD16<S>(repeating: k), bv = SIMD16<S>(repeating: b)
        var i = 0
        if let first {
            while i + 16 <= n {
                store(load(first + i) * av + (load(second + i) - cv) * kv + bv, out + i)
                i += 16
            }
            while i < n {
                out[i] = first[i] * a + (second[i] - center) * k + b
                i += 1
            }
        } else {
            while i + 16 <= n {
                store((load(second + i) - cv) * kv + bv, out + i)
                i += 16
            }
            while i < n {
                out[i] = (second[i] - center) * k + b
                i += 1
            }
        }
    }

    /// `out[j] = first[j] · a[j] + (second[j] − center[j]) · k[j] + b[j]` for `j < n`: `affine`
    /// with a coefficient per column (batch norm of `N × D`, one row at a time), `first`'s
    /// term left out when nil.
    @inlinable
    public static func affineColumns<S: BinaryFloatingPoint & SIMDScalar>(
        first: UnsafePointer<S>?, second: UnsafePointer<S>, _ n: Int, a: UnsafePointer<S>, center: UnsafePointer<S>,
        k: UnsafePointer<S>, b: UnsafePointer<S>, out: UnsafeMutablePointer<S>
    ) {
        var j = 0
        if let first {
            while j + 16 <= n {
                store(load(first + j) * load(a + j) + (load(second + j) - load(center + j)) * load(k + j) + load(b + j), out + j)
                j += 16
            }
        } else {
            while j + 16 <= n {
                store((load(second + j) - load(center + j)) * load(k + j) + load(b + j), out + j)
                j += 16
            }
        }
        while j < n {
            out[j] = (first.map { $0[j] * a[j] } ?? 0) + (second[j] - center[j]) * k[j] + b[j]
            j += 1
        }
    }

    /// `out[j] = (x[j] − center) · r · γ[j] + β[j]` for `j < n`: one row of layer norm.
    @inlinable
    public static func normalizeRow<S: BinaryFloatingPoint & SIMDScalar>(
        x: UnsafePointer<S>, _ n: Int, center: S, r: S, scale: UnsafePointer<S>, shift: UnsafePointer<S>,
        out: UnsafeMutablePointer<S>
    ) {
        let cv = SIMD16<S>(repeating: center), rv = SIMD16<S>(repeating: r)
        var j = 0
        while j + 16 <= n {
            store((load(x + j) - cv) * rv * load(scale + j) + load(shift + j), out + j)
            j += 16
        }
        while j < n {
            out[j] = (x[j] - center) * r * scale[j] + shift[j]
            j += 1
        }
    }

    /// `out[j] = dy[j] · γ[j] · r + (x[j] − center) · k + b` for `j < n`: one row of layer
    /// norm's input gradient.
    @inlinable
    public static func rowGradient<S: BinaryFloatingPoint & SIMDScalar>(
        dy: UnsafePointer<S>, scale: UnsafePointer<S>, x: UnsafePointer<S>, _ n: Int, center: S, r: S, k: S, b: S,
        out: UnsafeMutablePointer<S>
    ) {
        let cv = SIMD16<S>(repeating: center), rv = SIMD16<S>(repeating: r)
        let kv = SIMD16<S>(repeating: k), bv = SIMD16<S>(repeating: b)
        var j = 0
        while j + 16 <= n {
            store(load(dy + j) * load(scale + j) * rv + (load(x + j) - cv) * kv + bv, out + j)
            j += 16
        }
        while j < n {
            out[j] = dy[j] * scale[j] * r + (x[j] - center) * k + b
            j += 1
        }
    }
}
