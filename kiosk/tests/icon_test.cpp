// SPDX-License-Identifier: Apache-2.0
// Pictograms, for citizens who read little: every name the kit, the demo catalogs and the
// plugins' manifests use is in the font Debian installs (a name the font lacks would show
// nothing), and the renderer draws one inside the square it was given, its pixels in the
// texture the frame is drawn with (Xvfb, Mesa's software GL, in this process).
#include <GLFW/glfw3.h>
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <imgui.h>
#include <stdlib.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "seba/manifest.hpp"  // is_valid_icon_name
#include "seba/text/fonts.hpp"
#include "seba/text/glyph_atlas.hpp"
#include "seba/text/shaper.hpp"
#include "seba/ui/icons.hpp"
#include "text_renderer.hpp"
#include "virtual_screen.hpp"

namespace seba::kiosk {
namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& file) {
    std::ifstream in(file);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// The pixels a pictogram leaves in the atlas at `size_px`: how many are more than half
// covered.
int covered_pixels(std::string_view name, float size_px) {
    static std::unique_ptr<text::FontSet> fonts = text::FontSet::system();
    static text::Shaper shaper(*fonts);
    static text::GlyphAtlas atlas(*fonts, 1024, 4096);
    std::uint32_t glyph = shaper.icon_glyph(name);
    if (glyph == 0) return 0;
    text::AtlasGlyph placed = atlas.glyph(text::kIconFace, glyph, size_px);
    int covered = 0;
    for (int y = 0; y < placed.height; ++y)
        for (int x = 0; x < placed.width; ++x)
            covered += atlas.pixels()[static_cast<std::size_t>(placed.y + y) * atlas.side() +
                                      placed.x + x] > 127;
    return covered;
}

TEST(Icons, EveryPictogramOfTheKitIsInTheFontAndHasPixels) {
    TextRenderer renderer;  // no GL needed to ask
    for (std::string_view name : ui::icon::all) {
        EXPECT_TRUE(is_valid_icon_name(name)) << name;
        EXPECT_TRUE(renderer.has_icon(name)) << name << " is not in Material Icons";
        // At a tile's size a pictogram is a picture, not a speck: the thinnest (a chevron, a
        // minus) cover about 5% of their square.
        EXPECT_GT(covered_pixels(name, 48.0f), 48 * 48 / 50) << name;
    }
    EXPECT_FALSE(renderer.has_icon("no_such_pictogram"));
    EXPECT_FALSE(renderer.has_icon("Home"));
    EXPECT_FALSE(renderer.has_icon("a")) << "a letter is not a pictogram";
}

// `all` is what checks and galleries walk: a name added to the header but not to the list
// would go unchecked.
TEST(Icons, TheListOfAllHoldsEveryNameTheHeaderDefines) {
    const std::string header = read_text(SEBA_ICONS_HEADER);
    const std::regex constant(R"re(inline constexpr std::string_view (\w+) = "([a-z0-9_]+)";)re");
    std::set<std::string> defined;
    for (auto it = std::sregex_iterator(header.begin(), header.end(), constant);
         it != std::sregex_iterator(); ++it)
        defined.insert((*it)[1]);
    EXPECT_GT(defined.size(), 40u);
    EXPECT_EQ(defined.size(), ui::icon::all.size())
        << "every constant of seba/ui/icons.hpp belongs in seba::ui::icon::all";
    std::set<std::string_view> distinct(ui::icon::all.begin(), ui::icon::all.end());
    EXPECT_EQ(distinct.size(), ui::icon::all.size()) << "one meaning, one picture";
}

// What a pilot or a plugin author writes in data: a name the font lacks would leave a tile
// without its picture.
TEST(Icons, EveryPictogramTheDemoCatalogsAndManifestsNameIsInTheFont) {
    TextRenderer renderer;
    std::vector<std::pair<std::string, std::string>> named;  // where, name
    for (const char* file : {SEBA_DC_SERVICES, SEBA_DC_SERVICES_UZ})
        for (const nlohmann::json& record : nlohmann::json::parse(read_text(file)))
            if (record.contains("icon"))
                named.emplace_back(record["key"].get<std::string>(), record["icon"]);
    for (const char* plugin :
         {"plugins/digital_centre", "plugins/portal", "plugins/about", "examples/hello_plugin"}) {
        // The files as their authors write them (the build adds "api" to its copy).
        nlohmann::json m =
            nlohmann::json::parse(read_text(fs::path(SEBA_SOURCE_DIR) / plugin / "manifest.json"));
        ASSERT_TRUE(m.contains("icon")) << plugin << " names no pictogram for its tile";
        named.emplace_back(plugin, m["icon"]);
    }
    // The portal's pictograms by name, outside the kit's list: a place's kind
    // (plugins/portal/src/portal.cpp, kind_icon) and "Offices near this centre".
    for (const char* name :
         {"map", "location_city", "holiday_village", "cottage", "place", "near_me"})
        named.emplace_back("plugins/portal", name);
    EXPECT_GT(named.size(), 30u);
    for (const auto& [where, name] : named)
        EXPECT_TRUE(renderer.has_icon(name)) << where << ": " << name;
}

class IconDrawing : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_FALSE(screen_.display().empty()) << "Xvfb did not start";
        setenv("DISPLAY", screen_.display().c_str(), 1);
        ASSERT_TRUE(glfwInit());
        glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
        window_ = glfwCreateWindow(128, 128, "icons", nullptr, nullptr);
        ASSERT_NE(window_, nullptr);
        glfwMakeContextCurrent(window_);
        ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.DisplaySize = ImVec2(128, 128);
        unsigned char* pixels = nullptr;
        int width = 0, height = 0;
        io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
        // Not a GL name the renderer could be given (the first is 1).
        io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(-1)));
        ImGui::NewFrame();
    }
    void TearDown() override {
        if (ImGui::GetCurrentContext()) {
            ImGui::EndFrame();
            ImGui::DestroyContext();
        }
        if (window_) glfwDestroyWindow(window_);
        glfwTerminate();
    }

    // The coverage the texture holds over the quad's atlas rectangle (what the GPU draws).
    static int covered_in_texture(const ImDrawVert& first, const ImDrawVert& last, GLuint texture) {
        glBindTexture(GL_TEXTURE_2D, texture);
        GLint side = 0, format = 0;
        glGetTexLevelParameteriv(GL_TEXTURE_2D, 0, GL_TEXTURE_WIDTH, &side);
        glGetTexLevelParameteriv(GL_TEXTURE_2D, 0, GL_TEXTURE_INTERNAL_FORMAT, &format);
        std::vector<std::uint8_t> rgba(static_cast<std::size_t>(side) * side * 4);
        glPixelStorei(GL_PACK_ALIGNMENT, 1);
        glGetTexImage(GL_TEXTURE_2D, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
        // One byte a pixel comes back as red; four bytes a pixel keep coverage in alpha.
        const int channel = format == GL_R8 ? 0 : 3;
        int covered = 0;
        auto x0 = static_cast<int>(std::lround(first.uv.x * static_cast<float>(side)));
        auto y0 = static_cast<int>(std::lround(first.uv.y * static_cast<float>(side)));
        auto x1 = static_cast<int>(std::lround(last.uv.x * static_cast<float>(side)));
        auto y1 = static_cast<int>(std::lround(last.uv.y * static_cast<float>(side)));
        for (int y = std::min(y0, y1); y < std::max(y0, y1); ++y)
            for (int x = std::min(x0, x1); x < std::max(x0, x1); ++x)
                covered += rgba[(static_cast<std::size_t>(y) * side + x) * 4 + channel] > 127;
        return covered;
    }

    seba::testing::VirtualScreen screen_{SEBA_XVFB, 320, 240};
    GLFWwindow* window_ = nullptr;
};

TEST_F(IconDrawing, APictogramFillsItsSquareAndItsPixelsReachTheTexture) {
    auto renderer = std::make_unique<TextRenderer>();
    ImDrawList* list = ImGui::GetForegroundDrawList();
    const ImVec2 top_left(10.3f, 20.6f);
    const float size = 48.0f;
    const int before = list->VtxBuffer.Size;
    EXPECT_EQ(renderer->draw_icon(list, top_left, IM_COL32(0, 107, 79, 255), "volume_up", size),
              size);
    ASSERT_EQ(list->VtxBuffer.Size, before + 4) << "one quad";
    const ImDrawVert a = list->VtxBuffer[before];      // top-left
    const ImDrawVert c = list->VtxBuffer[before + 2];  // bottom-right
    // Inside the square (on whole pixels), and most of it: a pictogram, not a speck.
    EXPECT_GE(a.pos.x, std::floor(top_left.x));
    EXPECT_GE(a.pos.y, std::floor(top_left.y));
    EXPECT_LE(c.pos.x, std::ceil(top_left.x + size));
    EXPECT_LE(c.pos.y, std::ceil(top_left.y + size));
    EXPECT_GT(c.pos.x - a.pos.x, size / 2);
    EXPECT_GT(c.pos.y - a.pos.y, size / 2);
    EXPECT_EQ(a.pos.x, std::round(a.pos.x)) << "snapped to the pixel grid";
    EXPECT_EQ(a.col, IM_COL32(0, 107, 79, 255));
    // The quad's command: the one drawn from a texture other than ImGui's own font.
    GLuint texture = 0;
    for (const ImDrawCmd& cmd : list->CmdBuffer)
        if (cmd.ElemCount > 0 && cmd.TextureId != ImGui::GetIO().Fonts->TexID)
            texture = static_cast<GLuint>(reinterpret_cast<std::intptr_t>(cmd.TextureId));
    ASSERT_NE(texture, 0u);

    // A name the font lacks: nothing at all, not its letters.
    EXPECT_EQ(renderer->draw_icon(list, top_left, IM_COL32_WHITE, "no_such_pictogram", size), 0);
    EXPECT_EQ(renderer->draw_icon(list, top_left, IM_COL32_WHITE, "Volume_up", size), 0);
    EXPECT_EQ(list->VtxBuffer.Size, before + 4);

    renderer->upload();
    EXPECT_GT(covered_in_texture(a, c, texture), static_cast<int>(size * size / 10));
    // Drawn again: the same atlas place, nothing new to upload.
    std::size_t glyphs = renderer->atlas_glyphs();
    renderer->draw_icon(list, ImVec2(70, 20), IM_COL32_WHITE, "volume_up", size);
    EXPECT_EQ(renderer->atlas_glyphs(), glyphs);
    EXPECT_EQ(list->VtxBuffer[before + 4].uv.x, a.uv.x);
    renderer.reset();  // its texture goes while the context is current
}

}  // namespace
}  // namespace seba::kiosk
