#include "api/static_files.hpp"

#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>

namespace autoglm::api {
namespace {

namespace fs = std::filesystem;

TEST(UiRelativePath, NamesFilesBelowTheUiDirectory) {
  EXPECT_EQ(ui_relative_path("").value(), "index.html");
  EXPECT_EQ(ui_relative_path("index.html").value(), "index.html");
  EXPECT_EQ(ui_relative_path("assets/index-Ab12.js").value(), "assets/index-Ab12.js");
  EXPECT_EQ(ui_relative_path("assets//a%20b.css").value(), "assets/a b.css");
}

TEST(UiRelativePath, RefusesWhatCouldLeaveTheDirectoryOrShowHiddenFiles) {
  for (const char* path :
       {"..", "../etc/passwd", "assets/../../x", "%2e%2e/x", "%2E%2E", ".", "./index.html", ".env",
        "assets/.git/config", "..%2fx", "a%2f..%2f..%2fx", "a%5c..%5cx", "a\\b", "index.html%00.js",
        "%zz", "%2"}) {
    auto r = ui_relative_path(path);
    ASSERT_FALSE(r) << path;
    EXPECT_EQ(r.status().code(), core::ErrorCode::kNotFound) << path;
  }
}

TEST(ContentType, ByExtension) {
  EXPECT_EQ(content_type_for("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(content_type_for("assets/index-1.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_for("assets/index-1.css"), "text/css; charset=utf-8");
  EXPECT_EQ(content_type_for("logo.svg"), "image/svg+xml");
  EXPECT_EQ(content_type_for("font.woff2"), "font/woff2");
  EXPECT_EQ(content_type_for("README"), "application/octet-stream");
  EXPECT_EQ(content_type_for("dir.v1/file"), "application/octet-stream");
  EXPECT_EQ(content_type_for("x.exe"), "application/octet-stream");
}

TEST(CacheControl, HashedAssetsAreImmutableTheRestRevalidates) {
  EXPECT_EQ(cache_control_for("assets/index-Ab12.js"), "public, max-age=31536000, immutable");
  EXPECT_EQ(cache_control_for("index.html"), "no-cache");
  EXPECT_EQ(cache_control_for("favicon.ico"), "no-cache");
}

TEST(LocateUi, TellsWhetherTheUiIsBuiltAndWhere) {
  const fs::path dir = fs::temp_directory_path() / ("autoglm-ui-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  config::UiConfig ui;
  ui.dir = dir.string();
  auto where = locate_ui(ui);
  EXPECT_FALSE(where.built);
  EXPECT_TRUE(where.dir.is_absolute());
  const std::string page = ui_missing_page(where);
  EXPECT_NE(page.find(dir.string()), std::string::npos);
  EXPECT_NE(page.find("make build"), std::string::npos);
  std::ofstream(dir / "index.html") << "<!doctype html>";
  EXPECT_TRUE(locate_ui(ui).built);
  fs::remove_all(dir);
}

TEST(LocateUi, EscapesTheDirectoryInTheMessage) {
  UiLocation where{fs::path("/tmp/<script>"), false};
  EXPECT_EQ(ui_missing_page(where).find("<script>"), std::string::npos);
}

}  // namespace
}  // namespace autoglm::api
