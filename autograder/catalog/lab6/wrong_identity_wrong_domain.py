"""The identity loss fed the wrong domain: G applied to X images and F to Y images (|G(x) - x|), as in
LynnHo/CycleGAN-Tensorflow-2 issue #19 ("A2B_id_loss = identity_loss_fn(A, A2B)", fixed by pull request #18) and
fastai/course-v3 pull request #449."""
EXERCISE = "identity_loss"
EXPECT = "wrong domain"
EDIT = [("idt_g = torch.mean(torch.abs(G(y_real) - y_real))", "idt_g = torch.mean(torch.abs(G(x_real) - x_real))"),
        ("idt_f = torch.mean(torch.abs(F(x_real) - x_real))", "idt_f = torch.mean(torch.abs(F(y_real) - y_real))")]
