import Random
import Testing

@testable import Tensors

@Suite("Tensor creation and shape")
struct TensorCreationTests {
    @Test("shape and element count must agree")
    func shapeChecked() throws {
        #expect(throws: TensorError.self) { try Tensor<Float>(shape: [2, 3], scalars: [1, 2]) }
        let t = try Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        #expect(t.rank == 2 && t.count == 6 && t.strides == [3, 1])
        #expect(try t.element(at: [1, -1]) == 6)
    }

    @Test("arange, linspace, eye, full")
    func creators() throws {
        #expect(try Tensor<Double>.arange(0, 1, step: 0.25).scalars == [0, 0.25, 0.5, 0.75])
        #expect(try Tensor<Double>.linspace(0, 1, count: 5).scalars == [0, 0.25, 0.5, 0.75, 1])
        // Counts and values in Double: Float32 cannot tell 1e10 from 1e10 + 1.
        #expect(try Tensor<Float>.arange(from: 1e10, to: 1e10 + 10).count == 10)
        let ends = try Tensor<Float>.linspace(0.1, 16_777_217, count: 3).scalars
        #expect(ends.first == Float(0.1) && ends.last == Float(16_777_217) && ends[1] == Float(0.1 + 16_777_216.9 / 2))
        #expect(throws: TensorError.self) { try Tensor<Float>.arange(from: 0, to: 1e30) }
        #expect(throws: TensorError.self) { try Tensor<Float>.linspace(0, .infinity, count: 3) }
        #expect(try Tensor<Float>.eye(2).scalars == [1, 0, 0, 1])
        #expect(try Tensor<Float>.full([2], 7).scalars == [7, 7])
        #expect(throws: TensorError.self) { try Tensor<Float>.zeros([-1, 2]) }
    }

    @Test("seeded randn is reproducible and has the asked moments")
    func randn() throws {
        var g1 = SeededGenerator(seed: 5), g2 = SeededGenerator(seed: 5)
        let a = try Tensor<Float>.randn([100, 100], mean: 1, std: 2, using: &g1)
        let b = try Tensor<Float>.randn([100, 100], mean: 1, std: 2, using: &g2)
        #expect(a == b)
        #expect(abs(try a.mean().scalar! - 1) < 0.05)
        #expect(abs(try a.variance().scalar!.squareRoot() - 2) < 0.05)
        var g3 = SeededGenerator(seed: 5)
        let u = try Tensor<Double>.rand([1000], low: -1, high: 1, using: &g3)
        #expect(u.scalars.allSatisfy { $0 >= -1 && $0 < 1 })
    }

    @Test("reshape infers -1 and rejects wrong counts")
    func reshape() throws {
        let t = try Tensor<Float>.arange(0, 12)
        #expect(try t.reshaped([3, -1]).shape == [3, 4])
        #expect(throws: TensorError.self) { try t.reshaped([5, -1]) }
        #expect(throws: TensorError.self) { try t.reshaped([2, 2]) }
    }

    @Test("permute and transpose move elements")
    func permute() throws {
        let t = try Tensor<Float>.arange(0, 6).reshaped([2, 3])
        let tt = try t.transposed()
        #expect(tt.shape == [3, 2] && tt.scalars == [0, 3, 1, 4, 2, 5])
        let x = try Tensor<Float>.arange(0, 24).reshaped([2, 3, 4])
        let p = try x.permuted([2, 0, 1])
        #expect(p.shape == [4, 2, 3])
        #expect(try p.element(at: [3, 1, 2]) == x.element(at: [1, 2, 3]))
    }
}

@Suite("Broadcasting and elementwise ops")
struct ElementwiseTests {
    @Test("NumPy broadcasting rules")
    func broadcastShapes() throws {
        #expect(try broadcastShape([4, 1, 3], [5, 1]) == [4, 5, 3])
        #expect(try broadcastShape([], [2, 3]) == [2, 3])
        #expect(throws: TensorError.self) { try broadcastShape([2, 3], [4]) }
    }

    @Test("row and column broadcast add, hand-computed")
    func broadcastAdd() throws {
        let col = try Tensor<Float>(shape: [2, 1], scalars: [10, 20])
        let row = Tensor<Float>([1, 2, 3])
        #expect(try (col + row).scalars == [11, 12, 13, 21, 22, 23])
        #expect(try (row * col).shape == [2, 3])
        let err = #expect(throws: TensorError.self) { try Tensor<Float>([1, 2]) + row }
        #expect(err?.message.contains("[2]") == true)
    }

    @Test(
        "a smaller operand repeated along the leading axes gives what index-by-index broadcasting gives",
        arguments: [
            ([4, 3], [3]), ([4, 3], [1, 3]), ([2, 4, 3], [4, 3]), ([2, 4, 3], [1, 4, 3]), ([3, 2, 1], [2, 1]),
            ([0, 3], [3]), ([2, 3], [2, 1]), ([5], [1]), ([4, 3], [1, 1])
        ])
    func leadingAxisBroadcast(shapes: ([Int], [Int])) throws {
        let (big, small) = shapes
        let a = try Tensor<Double>(shape: big, scalars: (0..<big.reduce(1, *)).map { Double($0) * 1.5 - 4 })
        let b = try Tensor<Double>(shape: small, scalars: (0..<small.reduce(1, *)).map { 100 / Double($0 + 3) })
        let out = try broadcastShape(big, small)
        // Each output index reads its operand at the same index, with size-1 axes pinned to 0.
        func at(_ t: Tensor<Double>, _ flat: Int) -> Double {
            var rest = flat, offset = 0, stride = 1
            for axis in (0..<out.count).reversed() {
                let i = rest % out[axis]
                rest /= out[axis]
                let k = axis - (out.count - t.rank)
                if k >= 0 {
                    offset += (t.shape[k] == 1 ? 0 : i) * stride
                    stride *= t.shape[k]
                }
            }
            return t.scalars[offset]
        }
        let n = out.reduce(1, *)
        #expect(try (a - b).scalars == (0..<n).map { at(a, $0) - at(b, $0) })
        #expect(try (b - a).scalars == (0..<n).map { at(b, $0) - at(a, $0) })
        #expect(try (a - b).shape == out)
    }

    @Test("unary functions")
    func unary() throws {
        let x = Tensor<Double>([-2, 0, 3])
        #expect(x.relu().scalars == [0, 0, 3])
        #expect(x.abs().scalars == [2, 0, 3])
        #expect(x.clip(-1, 1).scalars == [-1, 0, 1])
        #expect(x.pow(2).scalars == [4, 0, 9])
        #expect(abs(x.sigmoid().scalars[1] - 0.5) < 1e-15)
        #expect(Tensor<Double>([-1000, 1000]).sigmoid().scalars == [0, 1])
        #expect(abs(Tensor<Double>([1]).exp().log().scalars[0] - 1) < 1e-15)
    }

    @Test("comparisons and where")
    func whereOp() throws {
        let a = Tensor<Float>([1, 5, 3]), b = Tensor<Float>([2, 2, 3])
        #expect(try a.greater(b).scalars == [0, 1, 0])
        #expect(try a.equal(b).scalars == [0, 0, 1])
        #expect(try Tensor.where(a.greater(b), a, Tensor(0)).scalars == [0, 5, 0])
    }

    @Test("sumToShape undoes broadcasting")
    func sumToShape() throws {
        let g = try Tensor<Float>.ones([4, 2, 3])
        #expect(try g.sumToShape([2, 1]).scalars == [12, 12])
        #expect(try g.sumToShape([3]).scalars == [8, 8, 8])
    }
}

@Suite("Reductions")
struct ReductionTests {
    @Test("Float32 sums past 2^24 are exact: the sum accumulates in Double")
    func largeFloatSums() throws {
        let n = (1 << 24) + 8
        let ones = try Tensor<Float>(shape: [n], scalars: [Float](repeating: 1, count: n))
        #expect(try ones.sum().scalars == [Float(n)])
        #expect(try ones.mean().scalars == [1])
        #expect(try ones.reshaped([1, n]).sum(axes: [1]).scalars == [Float(n)])
        // Small values that a Float32 running sum loses entirely next to a large one.
        let mixed = try Tensor<Float>(shape: [4097], scalars: [16_777_216] + [Float](repeating: 1, count: 4096))
        #expect(try mixed.sum().scalars == [16_777_216 + 4096])
    }

    let x = try! Tensor<Float>(shape: [2, 3], scalars: [1, 5, 3, 4, 2, 6])

    @Test("sum, mean, max, min along axes")
    func alongAxes() throws {
        #expect(try x.sum().scalar == 21)
        #expect(try x.sum(axes: [0]).scalars == [5, 7, 9])
        #expect(try x.sum(axes: [1], keepDims: true).shape == [2, 1])
        #expect(try x.mean(axes: [-1]).scalars == [3, 4])
        #expect(try x.max(axes: [1]).scalars == [5, 6])
        #expect(try x.min(axes: [0]).scalars == [1, 2, 3])
        #expect(try x.argmax(axis: 1).scalars == [1, 2])
        #expect(try x.argmax() == 5)
        #expect(try x.variance(axes: [1]).scalars == [8.0 / 3.0, 8.0 / 3.0])
        #expect(throws: TensorError.self) { try x.sum(axes: [2]) }
    }

    @Test("max propagates NaN")
    func nanMax() throws {
        #expect(try Tensor<Float>([1, .nan, 3]).max().scalar!.isNaN)
    }
}

@Suite("Indexing, slicing, joining")
struct IndexingTests {
    let x = try! Tensor<Float>.arange(0, 24).reshaped([2, 3, 4])

    @Test("index and slice like NumPy")
    func slicing() throws {
        #expect(try x[1].shape == [3, 4])
        #expect(try x[-1].scalars.first == 12)
        #expect(try x.slice([.all, .index(0)]).scalars == [0, 1, 2, 3, 12, 13, 14, 15])
        #expect(try x.slice([.index(0), .index(1), .range(step: 2)]).scalars == [4, 6])
        #expect(try x.slice([.index(0), .index(0), .range(step: -1)]).scalars == [3, 2, 1, 0])
        #expect(try x[0..<1].shape == [1, 3, 4])
        #expect(throws: TensorError.self) { try x[2] }
    }

    @Test("scatterAdd is the adjoint of slice")
    func scatter() throws {
        let base = try Tensor<Float>.zeros([2, 3])
        let out = try base.scatterAdd([.all, .index(1)], Tensor([5, 7]))
        #expect(out.scalars == [0, 5, 0, 0, 7, 0])
    }

    @Test("concat, stack, take, gather, oneHot")
    func joining() throws {
        let a = try Tensor<Float>(rows: [[1, 2], [3, 4]]), b = try Tensor<Float>(rows: [[5], [6]])
        #expect(try Tensor.concat([a, b], axis: 1).scalars == [1, 2, 5, 3, 4, 6])
        #expect(try Tensor.stack([a, a], axis: 0).shape == [2, 2, 2])
        #expect(try Tensor.stack([Tensor<Float>([1, 2]), Tensor([3, 4])], axis: 1).scalars == [1, 3, 2, 4])
        #expect(try a.take([1, 1, 0]).scalars == [3, 4, 3, 4, 1, 2])
        #expect(try a.gather(labels: [1, 0]).scalars == [2, 3])
        #expect(throws: TensorError.self) { try a.gather(labels: [2, 0]) }
        #expect(try Tensor<Float>.oneHot([2, 0], classes: 3).scalars == [0, 0, 1, 1, 0, 0])
    }
}

@Suite("Matrix multiply and conv through tensors")
struct TensorKernelTests {
    @Test("matmul with vectors, matrices and batches")
    func matmul() throws {
        let a = try Tensor<Float>(rows: [[1, 2, 3], [4, 5, 6]])
        let b = try Tensor<Float>(rows: [[7, 8], [9, 10], [11, 12]])
        #expect(try a.matmul(b).scalars == [58, 64, 139, 154])
        #expect(try a.matmul(Tensor([1, 1, 1])).scalars == [6, 15])
        #expect(try Tensor<Float>([1, 1]).matmul(a).scalars == [5, 7, 9])
        let batch = try Tensor.stack([a, a])
        #expect(try batch.matmul(b).shape == [2, 2, 2])
        #expect(try a.matmul(a, transposeSelf: false, transposeOther: true).scalars == [14, 32, 32, 77])
        let err = #expect(throws: TensorError.self) { try a.matmul(a) }
        #expect(err?.message.contains("inner sizes differ") == true)
    }

    @Test("conv2d explains a channel mismatch")
    func convChannelError() throws {
        let x = try Tensor<Float>.zeros([1, 3, 8, 8]), w = try Tensor<Float>.zeros([8, 4, 3, 3])
        let err = #expect(throws: TensorError.self) { try x.conv2d(w, pad: 1) }
        #expect(err?.message == "conv2d: input has 3 channels but the weight expects 4 (weight shape [8, 4, 3, 3])")
    }

    @Test("conv2d and pooling name empty shapes and bad windows instead of misreporting them")
    func convEmptyAndBadWindows() throws {
        let empty = try Tensor<Float>.zeros([0, 3, 8, 8]), w = try Tensor<Float>.zeros([4, 3, 3, 3])
        let err = #expect(throws: TensorError.self) { try empty.conv2d(w) }
        #expect(err?.message.contains("every size must be at least 1") == true)
        let x = try Tensor<Float>.zeros([1, 1, 3, 3])
        let pool = #expect(throws: TensorError.self) { try x.maxPool2d(size: 0) }
        #expect(pool?.message.contains("size and stride must be ≥ 1") == true)
    }

    @Test("conv2d output shape and pooling")
    func convShapes() throws {
        var g = SeededGenerator(seed: 1)
        let x = try Tensor<Float>.randn([2, 3, 8, 8], using: &g), w = try Tensor<Float>.randn([4, 3, 3, 3], using: &g)
        let y = try x.conv2d(w, stride: 2, pad: 1)
        #expect(y.shape == [2, 4, 4, 4])
        let (p, idx) = try y.maxPool2d(size: 2)
        #expect(p.shape == [2, 4, 2, 2] && idx.count == 16 * 2)
        #expect(try y.avgPool2d(size: 2).shape == [2, 4, 2, 2])
        #expect(throws: TensorError.self) { try x.maxPool2d(size: 9) }
    }

    @Test("summaries show shape, moments and NaN counts")
    func summary() throws {
        let t = Tensor<Float>([1, .nan, 3, .infinity])
        #expect(t.summary.hasPrefix("f32[4] μ=2 σ=1"))
        #expect(t.summary.contains("NaN×1") && t.summary.contains("Inf×1"))
        #expect(try Tensor<Float>(rows: [[1, 2], [3, 4]]).description == "[[1, 2],\n [3, 4]]")
    }
}
