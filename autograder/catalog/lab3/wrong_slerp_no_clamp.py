"""slerp that takes arccos of the cosine without clamping it to [-1, 1]: for (nearly) parallel latents rounding
puts the cosine just above 1 and arccos returns NaN (dfki-ric/pytransform3d issue #47: "dot:
1.0000000000000002 ... angle between quaternions: nan"; yoanlcq/vek issue #47)."""
EXERCISE = "slerp"
EXPECT = "clamp"
EDIT = [("omega = torch.arccos(cos_omega.clamp(-1.0, 1.0))", "omega = torch.arccos(cos_omega)")]
