// SPDX-License-Identifier: Apache-2.0
// ImGui keeps its own copy of text typed into an InputText (edit buffer, undo buffer)
// after the field loses focus. A plugin allowed raw ImGui could leave a citizen's text
// there; the session wipe must zero it. Runs ImGui headless, without GL.
#include <gtest/gtest.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <cstring>
#include <string>

#include "imgui_ui.hpp"
#include "text_renderer.hpp"

namespace seba::kiosk {
namespace {

template <typename T>
bool contains(const ImVector<T>& v, const std::string& text) {
    std::string bytes;
    for (int i = 0; i < v.Size; ++i) bytes += static_cast<char>(v.Data[i]);
    return bytes.find(text) != std::string::npos;
}

template <typename T>
bool all_zero(const ImVector<T>& v) {
    for (int i = 0; i < v.Capacity; ++i)
        if (v.Data[i] != 0) return false;
    return true;
}

TEST(ImGuiWipe, TextTypedIntoARawInputTextIsZeroedFromImGuisOwnState) {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(800, 600);
    unsigned char* pixels = nullptr;
    int width = 0, height = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
    io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(1)));

    char buffer[64] = "";
    for (int frame = 0; frame < 5; ++frame) {
        io.DeltaTime = 1.0f / 60;
        if (frame == 2) io.AddInputCharactersUTF8("Karimova");
        ImGui::NewFrame();
        ImGui::Begin("raw");
        if (frame == 0) ImGui::SetKeyboardFocusHere();
        ImGui::InputText("##field", buffer, sizeof buffer);
        ImGui::End();
        ImGui::Render();
    }
    ASSERT_STREQ(buffer, "Karimova");
    ImGuiInputTextState& edit = GImGui->InputTextState;
    ASSERT_TRUE(contains(edit.TextW, "Karimova")) << "ImGui keeps a copy: the test can see it";

    wipe_imgui_text();
    EXPECT_TRUE(all_zero(edit.TextW));
    EXPECT_TRUE(all_zero(edit.TextA));
    EXPECT_TRUE(all_zero(edit.InitialTextA));
    const auto* undo = reinterpret_cast<const unsigned char*>(&edit.Stb);
    for (std::size_t i = 0; i < sizeof edit.Stb; ++i) ASSERT_EQ(undo[i], 0) << "undo state";
    EXPECT_EQ(edit.CurLenA, 0);
    ImGui::DestroyContext();
}

TEST(TextRendererWipe, LabelsAreCachedButForgottenWhenTheSessionEnds) {
    // A review screen repeats what the citizen typed as a label; the renderer keeps labels
    // shaped between frames, and must drop them when the session is wiped.
    TextRenderer text;
    TextRenderer::Style style{.size_px = 30.0f, .language = "bn"};
    text.width("নাম: রহিম উদ্দিন", style);
    text.wrap("ঠিকানা: ঢাকা, মিরপুর ১০", 200.0f, style);
    EXPECT_EQ(text.cached(), 2u) << "one shaped label, one wrapped paragraph";
    text.width("নাম: রহিম উদ্দিন", style);
    EXPECT_EQ(text.cached(), 2u) << "drawn again: taken from the cache";
    // What the citizen types (secret) is never cached at all.
    TextRenderer::Style typed = style;
    typed.secret = true;
    text.width("০১৭১১২২৩৩৪৪", typed);
    text.wrap("০১৭১১২২৩৩৪৪", 100.0f, typed);
    EXPECT_EQ(text.cached(), 2u);
    text.forget();
    EXPECT_EQ(text.cached(), 0u);
}

}  // namespace
}  // namespace seba::kiosk
