"""The mask head's raw output used as the mask (no sigmoid): the mask leaves [0, 1] (the issue's list), so the
composite extrapolates instead of mixing foreground and background (VGAN's m = sigmoid(...))."""
EXERCISE = "vgan_composite"
EXPECT = "not in [0, 1]"
EDIT = [("    mask = torch.sigmoid(mask_logits)                                   # (B, 1, T, H, W), in [0, 1]",
         "    mask = mask_logits")]
