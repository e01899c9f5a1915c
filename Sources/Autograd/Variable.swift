import Tensors

/// A node of the computation graph: a tensor value, the operation that produced it, and
/// (after `backward()`) the gradient of a scalar loss with respect to it.
///
/// Leaves are created by the user (`Variable(tensor, requiresGrad: true)` for parameters);
/// every op on variables makes a new node that remembers its parents and its
/// vector-Jacobian product. Nodes hold their parents' values, never the reverse, so a
/// graph is freed as soon as its loss is dropped, and `backward()` frees it at once.
public final class Variable<Scalar: TensorScalar> {
    /// The forward value.
    public var value: Tensor<Scalar>
    /// `∂loss/∂self`, accumulated (`+=`) by every `backward()` until `zeroGrad()`.
    public var grad: Tensor<Scalar>?
    /// Whether gradients flow to this node (set on leaves; inherited by results).
    public let requiresGrad: Bool
    /// The operation that produced this node (`"leaf"` for user-made variables).
    public let op: String
    /// A parameter's name within its model (empty for intermediate nodes).
    public var name: String = ""
    /// Keep this node's gradient in `grad` even if it is not a leaf (as for named values at
    /// the prompt, where `h.grad` should work for any `h`).
    public var retainsGrad = false

    private(set) var parents: [Variable]
    /// Maps the upstream gradient to one gradient per parent (nil where none flows).
    private(set) var vectorJacobianProduct: ((Tensor<Scalar>) throws -> [Tensor<Scalar>?])?

    /// A leaf holding `value`.
    public init(_ value: Tensor<Scalar>, requiresGrad: Bool = false, name: String = "") {
        self.value = value
        self.requiresGrad = requiresGrad
        self.op = "leaf"
        self.name = name
        self.parents = []
    }

    /// A node made by an op. Records the graph only if some parent needs gradients and
    /// gradient recording is on. This is how new differentiable ops are defined: give the
    /// forward value and the map from the output gradient to one gradient per parent.
    public init(
        _ value: Tensor<Scalar>, op: String, parents: [Variable],
        vjp: @escaping (Tensor<Scalar>) throws -> [Tensor<Scalar>?]
    ) {
        self.value = value
        self.op = op
        let tracked = GradientMode.isEnabled && parents.contains { $0.requiresGrad }
        self.requiresGrad = tracked
        self.parents = tracked ? parents : []
        self.vectorJacobianProduct = tracked ? vjp : nil
    }

    /// Frees a long chain of ancestors one node at a time. Swift releases a class's stored
    /// references recursively, one stack frame per node, so dropping the last output of a
    /// 100,000-op graph would overflow the stack; here each ancestor only this node holds is
    /// emptied before it goes, so no deinit below this one has anything left to free.
    deinit {
        guard !parents.isEmpty else { return }
        var pending = parents
        parents = []
        vectorJacobianProduct = nil
        while var node = pending.popLast() {
            if isKnownUniquelyReferenced(&node) {
                pending.append(contentsOf: node.parents)
                node.parents = []
                node.vectorJacobianProduct = nil
            }
        }
    }

    public var shape: [Int] { value.shape }
    public var isLeaf: Bool { vectorJacobianProduct == nil }

    /// Clears the accumulated gradient.
    public func zeroGrad() { grad = nil }

    /// The same value cut off from the graph.
    public func detached() -> Variable { Variable(value) }

    /// Accumulates `∂self/∂x` into every reachable `x` that requires gradients, starting from
    /// `seed` (ones for a scalar). Runs each node's VJP once, in reverse topological order,
    /// then frees the graph's interior.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func backward(_ seed: Tensor<Scalar>? = nil) throws {
        let upstream: Tensor<Scalar>
        if let seed {
            guard seed.shape == value.shape else {
                throw TensorError("backward: seed shape \(seed.shape) differs from the value's \(value.shape)")
            }
            upstream = seed
        } else {
            guard value.count == 1 else {
                throw TensorError("backward: call it on a scalar loss (this value has shape \(value.shape)), or pass a seed gradient")
            }
            upstream = try Tensor.ones(value.shape)
        }
        guard requiresGrad else {
            throw TensorError("backward: nothing here requires a gradient; create parameters with requiresGrad: true")
        }
        // As in PyTorch without retain_graph: a graph serves one backward pass. A second pass
        // through freed nodes would silently stop there, so it is an error instead.
        guard !graphFreed else {
            throw TensorError("backward: this value's graph was already used by a backward pass and freed; compute the loss again (gradients add up across passes; zero_grad clears them)")
        }
        // Other freed nodes reached from here act as leaves: after one pass, `w = randn(3) * 0.01`
        // holds its own gradient like a parameter, which is how the prompt defines parameters.
        let order = topologicalOrder()
        var pending: [ObjectIdentifier: Tensor<Scalar>] = [ObjectIdentifier(self): upstream]
        for node in order.reversed() {
            guard let g = pending.removeValue(forKey: ObjectIdentifier(node)) else { continue }
            guard let vjp = node.vectorJacobianProduct else {
                node.grad = try node.grad.map { try $0 + g } ?? g
                continue
            }
            if node.retainsGrad { node.grad = try node.grad.map { try $0 + g } ?? g }
            let grads = try vjp(g)
            for (parent, pg) in zip(node.parents, grads) {
                guard parent.requiresGrad, let pg else { continue }
                let key = ObjectIdentifier(parent)
                pending[key] = try pending[key].map { try $0 + pg } ?? pg
            }
            node.release()
        }
    }

    /// Set once a backward pass has run through this interior node and freed its graph.
    public private(set) var graphFreed = false

    /// Interior nodes forget their parents and closures once their gradient has flowed.
    private func release() {
        parents = []
        vectorJacobianProduct = nil
        graphFreed = true
    }

    /// Nodes reachable from `self` that require gradients, parents before children
    /// (iterative depth-first search, safe for deep graphs).
    private func topologicalOrder() -> [Variable] {
        var order: [Variable] = []
        var visited: Set<ObjectIdentifier> = []
        var stack: [(Variable, Bool)] = [(self, false)]
        while let (node, expanded) = stack.popLast() {
            if expanded { order.append(node); continue }
            if !visited.insert(ObjectIdentifier(node)).inserted { continue }
            stack.append((node, true))
            for p in node.parents where p.requiresGrad && !visited.contains(ObjectIdentifier(p)) {
                stack.append((p, false))
            }
        }
        return order
    }
}

/// Whether ops record the graph. `withoutGradient { }` turns recording off for a scope
/// (evaluation, parameter updates); the setting belongs to the current task, so concurrent
/// work elsewhere is unaffected.
public enum GradientMode {
    @TaskLocal static var disabled = false

    public static var isEnabled: Bool { !disabled }

    public static func withoutGradient<R>(_ body: () throws -> R) rethrows -> R {
        try $disabled.withValue(true) { try body() }
    }
}

/// Runs `body` without recording a graph.
public func withoutGradient<R>(_ body: () throws -> R) rethrows -> R {
    try GradientMode.withoutGradient(body)
}
