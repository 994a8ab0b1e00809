"""slerp that takes the angle from the raw dot product, as code written for unit vectors does (g-truc/glm issue
#1423 quotes gtx_rotate_vector's slerp: CosAlpha = dot(x, y); Alpha = acos(CosAlpha)): Gaussian latents are far
from unit length, so the "cosine" leaves [-1, 1] and the result is NaN."""
EXERCISE = "slerp"
EXPECT = "directions"
EDIT = [("cos_omega = torch.dot(z0, z1) / (z0.norm() * z1.norm())", "cos_omega = torch.dot(z0, z1)"),
        ("omega = torch.arccos(cos_omega.clamp(-1.0, 1.0))", "omega = torch.arccos(cos_omega)")]
