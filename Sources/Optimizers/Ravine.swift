import Autograd
import NeuralNet
import Tensors

/// The course's ravine: a quadratic bowl much steeper across than along, where plain SGD
/// zig-zags across the walls while crawling along the floor.
///
/// ```
/// f(x, y) = ½ (a x² + b y²)      ∇f = (a x, b y)      condition number b / a
/// ```
/// The minimum is at the origin with `f = 0`.
public struct Ravine: Sendable {
    public var a: Double
    public var b: Double
    public var start: (x: Double, y: Double)

    public init(a: Double = 1, b: Double = 50, start: (x: Double, y: Double) = (-4, 1)) {
        self.a = a
        self.b = b
        self.start = start
    }

    public func loss(_ x: Double, _ y: Double) -> Double { 0.5 * (a * x * x + b * y * y) }

    /// A fresh parameter `[x, y]` at the start point.
    public func makeParameter() -> Parameter<Double> {
        Parameter(name: "xy", variable: Variable(Tensor([start.x, start.y]), requiresGrad: true), role: .weight)
    }

    /// Runs `steps` updates of `optimizer` (built on `makeParameter()`'s parameter) and returns
    /// the visited points with their losses, starting point first.
    public func path(_ optimizer: Optimizer<Double>, steps: Int) throws -> [(x: Double, y: Double, loss: Double)] {
        guard let p = optimizer.parameters.first, p.variable.shape == [2] else {
            throw OptimizerError.invalid("ravine: the optimizer must update one parameter of shape [2]")
        }
        var points: [(x: Double, y: Double, loss: Double)] = []
        for _ in 0...steps {
            let xy = p.variable.value.scalars
            points.append((xy[0], xy[1], loss(xy[0], xy[1])))
            if points.count > steps { break }
            p.variable.grad = Tensor([a * xy[0], b * xy[1]])
            try optimizer.step()
        }
        optimizer.prepareForEvaluation()
        return points
    }

    /// The smallest final loss over `rates` after `steps` updates: each optimizer gets the
    /// same budget and its best learning rate from the same grid.
    public func bestFinalLoss(
        steps: Int, rates: [Double],
        _ make: (Parameter<Double>, Double) -> Optimizer<Double>
    ) throws -> (loss: Double, rate: Double) {
        var best = (loss: Double.infinity, rate: rates.first ?? 0)
        for lr in rates {
            let final = try path(make(makeParameter(), lr), steps: steps).last!.loss
            if final.isFinite && final < best.loss { best = (final, lr) }
        }
        return best
    }
}
