import Foundation
import Tensors

/// Instructor-only parts and leaderboard entries, added to their exercises by id. Parts are
/// graded like any other, shown on Gradescope only once grades are published
/// (`after_published`); leaderboard figures go to Gradescope's leaderboard. This folder is
/// what a student release leaves out, so students cannot tune their code to them.
enum HiddenParts {
    static let byExercise: [String: [Part]] = [
        // The leaderboard: the accuracy the parts measured on fresh test images, in percent.
        "a5.project": [
            Part.leaderboard("test accuracy (%)", order: .desc) { t, g in (try ProjectGrading.accuracy(t, &g) * 1000).rounded() / 10 }
        ],
        "a1.softmax_loss_vectorized": [
            Part("extreme scores", points: 1, visibility: .afterPublished) { t, g in
                // Scores near ±1e4: a shift by the row maximum is not enough if −log p is
                // computed as −log(exp(…)/Σ) after p underflows to 0.
                // Row 0's label is its lowest score, so the loss cannot be exactly 0 (which
                // would let a wrong scale factor, e.g. forgetting to divide by N, pass).
                let (s, labels, _) = randomScores(&g, scale: 5_000)
                var y = labels
                y[0] = (0..<s.shape[1]).min { s.scalars[$0] < s.scalars[$1] }!
                let (refLoss, refGrad) = try referenceLoss(s, y, svm: false)
                let got = try t.softmaxLossVectorized(s, y)
                try Check.number("softmax_loss_vectorized loss", got: got.loss, expected: refLoss, input: "scores of shape \(s.shape) near ±10⁴", tolerance: 1e-5)
                try Check.tensor("softmax_loss_vectorized gradient", got: got.dScores, expected: refGrad, input: "scores near ±10⁴", tolerance: 1e-5)
            }
        ],
        "a3.conv_forward_naive": [
            Part("larger geometry", points: 1, visibility: .afterPublished) { t, g in
                let x = randomTensor([4, 3, 11, 9], &g), w = randomTensor([5, 3, 4, 4], &g), b = randomTensor([5], &g)
                try Check.tensor(
                    "conv_forward_naive", got: try t.convForwardNaive(x, w, b, 3, 2), expected: try x.conv2d(w, bias: b, stride: 3, pad: 2),
                    input: "x \(x.shape), w \(w.shape), stride 3, pad 2", tolerance: 1e-9)
            },
            // The leaderboard: a right answer, timed (best of three) on a CIFAR-sized batch.
            Part.leaderboard("conv forward (ms)", order: .asc) { t, g in
                let x = randomTensor([8, 3, 32, 32], &g), w = randomTensor([16, 3, 3, 3], &g), b = randomTensor([16], &g)
                var best = Double.infinity
                for _ in 0..<3 {
                    let started = Date()
                    let out = try t.convForwardNaive(x, w, b, 1, 1)
                    best = min(best, Date().timeIntervalSince(started) * 1000)
                    try Check.tensor(
                        "conv_forward_naive (leaderboard run)", got: out, expected: try x.conv2d(w, bias: b, stride: 1, pad: 1),
                        input: "x \(x.shape), w \(w.shape), stride 1, pad 1", tolerance: 1e-9)
                }
                return (best * 1000).rounded() / 1000
            }
        ]
    ]
}
