#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <vector>

namespace causa::xdr {

// A SAX handler that builds the document but hands each element of a "split" array to a
// callback as soon as it is complete, then drops it: a 1 GB reply with 100,000 alerts is held
// one alert at a time. Which arrays split is decided from their key path.
class StreamingSplitter : public nlohmann::json_sax<nlohmann::json>
{
public:
    using json = nlohmann::json;
    // path: keys from the root to the array ("reply", "alerts", "data").
    using SplitPredicate = std::function<bool(const std::vector<std::string> &path)>;
    // Return false to stop parsing (error or cancel).
    using ElementFn = std::function<bool(json &element)>;

    StreamingSplitter(SplitPredicate split, ElementFn onElement, int maxDepth);
    // Called when a split array opens, with its nesting depth: the input may then take the
    // elements away itself (xdr::AlertFeed), so that the parser only sees the array's ends.
    void setSplitHook(std::function<void(int depth)> hook) { m_onSplit = std::move(hook); }

    json &root() { return m_root; }
    bool tooDeep() const { return m_tooDeep; }
    bool stoppedByCallback() const { return m_stopped; }
    bool hasParseError() const { return m_hasError; }
    size_t errorPosition() const { return m_errorPosition; }
    const std::string &errorMessage() const { return m_errorMessage; }

    bool null() override;
    bool boolean(bool val) override;
    bool number_integer(number_integer_t val) override;
    bool number_unsigned(number_unsigned_t val) override;
    bool number_float(number_float_t val, const string_t &s) override;
    bool string(string_t &val) override;
    bool binary(binary_t &val) override;
    bool start_object(std::size_t elements) override;
    bool key(string_t &val) override;
    bool end_object() override;
    bool start_array(std::size_t elements) override;
    bool end_array() override;
    bool parse_error(std::size_t position, const std::string &last_token,
                     const nlohmann::detail::exception &ex) override;

private:
    struct Frame
    {
        json *value;
        bool splitting; // an array whose elements are handed out
    };
    json *place(json &&v);
    bool endElement();

    SplitPredicate m_split;
    ElementFn m_onElement;
    std::function<void(int depth)> m_onSplit;
    int m_maxDepth;
    json m_root;
    std::vector<Frame> m_stack;
    std::vector<std::string> m_path; // keys of the containers on the stack (arrays add "[]")
    std::string m_pendingKey;
    bool m_tooDeep = false;
    bool m_stopped = false;
    bool m_hasError = false;
    size_t m_errorPosition = 0;
    std::string m_errorMessage;
};

} // namespace causa::xdr
