"""The pair in the other order, [y, x]: the target or generated image first and the condition second. D still trains,
but its first-layer weights no longer mean what the text says (and a D trained one way cannot judge pairs built the
other way)."""
EXERCISE = "conditional_d_input"
EXPECT = "condition comes first"
EDIT = [("return torch.cat([x, y], dim=1)", "return torch.cat([y, x], dim=1)")]
