"""The two cycles crossed: each reconstruction compared with the other domain's image (F(G(x)) against y), the mix-up
of A/B names that fastai/course-v3 pull request #449 fixed in the identity terms ("I think the identity losses were
flipped"); it runs whenever the two batches have the same shape."""
EXERCISE = "cycle_loss"
EXPECT = "crossed"
EDIT = [("forward_cycle = torch.mean(torch.abs(x_rec - x_real))",
         "forward_cycle = torch.mean(torch.abs(x_rec - y_real))"),
        ("backward_cycle = torch.mean(torch.abs(y_rec - y_real))",
         "backward_cycle = torch.mean(torch.abs(y_rec - x_real))")]
