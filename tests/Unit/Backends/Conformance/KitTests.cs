using PocketTts.Tensors;

namespace PocketTts.Tests.Unit.Backends.Conformance;

/// <summary>
/// The kit catches what it is for: each defect planted in an otherwise correct backend fails exactly the cases of
/// the operation it breaks, and nothing else.
/// </summary>
public sealed class KitTests
{
    [Fact]
    public void Case_names_are_unique_and_every_operation_of_the_contract_is_covered()
    {
        BackendConformance.Cases.Select(c => c.Name).ShouldBeUnique();
        string[] operations = [.. typeof(ITensorBackend).GetMethods().Select(m => m.Name).Distinct()];
        BackendConformance.Cases.Select(c => c.Operation).Distinct().Order().ShouldBe(operations.Order());
        Should.Throw<ArgumentException>(() => BackendConformance.Case("Linear nothing")).Message.ShouldStartWith("No conformance case is named 'Linear nothing'.");
    }

    [Fact]
    public void Exact_GELU_computed_with_the_tanh_formula_fails_the_GELU_case_only()
    {
        ConformanceReport report = Run(new TanhForExactGelu());
        FailedCases(report).ShouldBe(["Unary Gelu"]);
        report.Failures.Single().Detail.ShouldStartWith("y: element ");
    }

    [Fact]
    public void A_linear_layer_that_drops_its_bias_fails_the_cases_with_a_bias()
    {
        ConformanceReport report = Run(new LinearWithoutBias());
        FailedCases(report).ShouldBe(
        [
            "Linear float rows 1 in 33 out 17 bias", "Linear float rows 7 in 64 out 48 bias", "Linear int8 rows 1 in 64 out 40 bias",
        ]);
    }

    [Fact]
    public void A_ring_cache_that_forgets_its_window_fails_the_ring_attention_cases()
    {
        ConformanceReport report = Run(new RingWithoutWindow());
        FailedCases(report).ShouldBe(
        [
            "Attention heads 2×4 ring 7 window 4 calls 3+1+2+1+3+1+1+2", "Attention heads 1×16 ring 12 window 6 calls 6+6+1+5+6",
            "CreateKvCache refuses a call with a window beyond the capacity",
        ]);
        report.ToString().ShouldStartWith($"sabotaged: {BackendConformance.Cases.Count - 3} of {BackendConformance.Cases.Count} conformance cases passed");
        Should.Throw<ConformanceException>(report.ThrowIfFailed).Message.ShouldContain("FAIL  Attention heads 2×4 ring 7");
    }

    [Fact]
    public void A_transpose_that_accepts_its_own_input_as_output_fails_the_argument_case()
    {
        ConformanceReport report = Run(new TransposeAcceptingItsInput());
        FailedCases(report).ShouldBe(["Transpose refuses a call in place"]);
        report.Failures.Single().Detail.ShouldBe("Transpose in place: was accepted, expected ArgumentException");
    }

    [Fact]
    public void A_backend_that_throws_the_wrong_exception_fails_with_what_it_threw()
    {
        ConformanceReport report = Run(new EmbeddingWithNativeIndexErrors());
        FailedCases(report).ShouldBe(["Embedding refuses an id outside the table"]);
        report.Failures.Single().Detail.ShouldBe("id 3 of a 3-row table: threw InvalidOperationException (native index), expected ArgumentOutOfRangeException");
    }

    private static ConformanceReport Run(ITensorBackend backend)
    {
        using (backend)
            return BackendConformance.Run(backend);
    }

    private static string[] FailedCases(ConformanceReport report) => [.. report.Failures.Select(f => f.Case.Name)];

    private static LinearWeights WithoutBias(LinearWeights w) => new()
    {
        OutFeatures = w.OutFeatures,
        InFeatures = w.InFeatures,
        Weight = w.Weight,
        QuantizedWeight = w.QuantizedWeight,
        Scales = w.Scales,
    };

    private sealed class TanhForExactGelu : SabotagedBackend
    {
        public override void Unary(UnaryOp op, ITensor x, ITensor y) => base.Unary(op == UnaryOp.Gelu ? UnaryOp.GeluTanh : op, x, y);
    }

    private sealed class LinearWithoutBias : SabotagedBackend
    {
        public override IPackedLinear PackLinear(LinearWeights weights) => base.PackLinear(new LinearWeights
        {
            OutFeatures = weights.OutFeatures,
            InFeatures = weights.InFeatures,
            Weight = weights.Weight,
            QuantizedWeight = weights.QuantizedWeight,
            Scales = weights.Scales,
        });
    }

    private sealed class RingWithoutWindow : SabotagedBackend
    {
        public override IKvCache CreateKvCache(int heads, int headDim, int capacity, int? window) =>
            base.CreateKvCache(heads, headDim, window is null ? capacity : 64, null);
    }

    private sealed class TransposeAcceptingItsInput : SabotagedBackend
    {
        public override void Transpose(ITensor x, ITensor y)
        {
            if (!ReferenceEquals(x, y))
                base.Transpose(x, y);
        }
    }

    private sealed class EmbeddingWithNativeIndexErrors : SabotagedBackend
    {
        public override void Embedding(ITensor table, ReadOnlySpan<int> ids, ITensor y)
        {
            foreach (int id in ids)
            {
                if (id < 0 || id >= table.Shape[0])
                    throw new InvalidOperationException("native index");
            }
            base.Embedding(table, ids, y);
        }
    }
}
